import { defineStorage } from '@vedette/sdk'
import { resolveConfig, type SqliteStorageConfig } from './config.js'
import { SqliteStorage } from './sqlite-storage.js'

/**
 * The SQLite storage plugin: one file, WAL, zero services.
 *
 * @example
 * // vedette.yaml
 * // storage:
 * //   plugin: '@vedette/storage-sqlite'
 * //   config: { path: ./data/vedette.db }
 */
const plugin = defineStorage<SqliteStorageConfig>({
  create(config, ctx) {
    return new SqliteStorage({ ...resolveConfig(config, ctx), name: ctx.name, logger: ctx.logger })
  }
})

export default plugin
export { SqliteStorage } from './sqlite-storage.js'
export type { SqliteStorageOptions } from './sqlite-storage.js'
export { STAGING_DEFAULTS } from './result-staging.js'
export type { StagingOptions } from './result-staging.js'
export { resolveConfig, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_FILE_NAME } from './config.js'
export type { SqliteStorageConfig, ResolvedSqliteConfig } from './config.js'
export { SCHEMA_VERSION } from './migrations.js'
export {
  DamagedDatabaseError,
  InvalidConfigError,
  InvalidCursorError,
  InvalidQueryError,
  InvalidRecordError,
  NotStartedError,
  OpenFailedError,
  SchemaTooNewError
} from './errors.js'
