import { defineStorage } from '@vedette/sdk'
import { resolveConfig, type PostgresStorageConfig } from './config.js'
import { PostgresStorage } from './postgres-storage.js'

/**
 * The PostgreSQL storage plugin: time-partitioned results written with COPY,
 * rollups for long windows, the notification outbox, and results buffered
 * through outages. Several engine nodes can share one database.
 *
 * @example
 * // vedette.yaml
 * // storage:
 * //   plugin: '@vedette/storage-postgres'
 * //   config: { url: 'postgres://vedette:${PGPASSWORD}@db:5432/vedette' }
 */
const plugin = defineStorage<PostgresStorageConfig>({
  create(config, ctx) {
    return new PostgresStorage({ ...resolveConfig(config, ctx), name: ctx.name, logger: ctx.logger })
  }
})

export default plugin
export { PostgresStorage } from './postgres-storage.js'
export type { PostgresStorageOptions } from './postgres-storage.js'
export { resolveConfig, DEFAULTS } from './config.js'
export type { PostgresStorageConfig, ResolvedPostgresConfig, PartitionInterval } from './config.js'
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.js'
export type { Migration } from './migrations.js'
export { bucketOf, partitionName } from './partitions.js'
export { redactUrl } from './redact-url.js'
export {
  InvalidConfigError,
  InvalidCursorError,
  InvalidQueryError,
  InvalidRecordError,
  NotStartedError,
  SchemaTooNewError,
  SpillFailedError,
  StartFailedError,
  UnavailableError
} from './errors.js'
