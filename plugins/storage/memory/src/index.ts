import { defineStorage } from '@vedette/sdk'
import { parseConfig, type MemoryStorageConfig } from './config.js'
import { MemoryStorage } from './memory-storage.js'

/**
 * The in-memory storage plugin.
 *
 * @example
 * // vedette.yaml
 * // storage: { plugin: '@vedette/storage-memory' }
 */
const plugin = defineStorage<MemoryStorageConfig>({
  create(config, ctx) {
    const { retention } = parseConfig(config)
    return new MemoryStorage(ctx.name, retention)
  }
})

export default plugin
export { MemoryStorage } from './memory-storage.js'
export { parseConfig } from './config.js'
export type { MemoryStorageConfig, ResolvedMemoryConfig } from './config.js'
export { InvalidConfigError, InvalidCursorError, InvalidQueryError, InvalidRecordError, NotStartedError } from './errors.js'
