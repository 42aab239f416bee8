import { defineCoordination } from '@vedette/sdk'
import { resolveConfig, type RedisCoordinationConfig } from './config.js'
import { RedisCoordinator } from './redis-coordinator.js'

/**
 * The Redis coordination plugin: membership, leases, pub/sub and the live
 * status cache for a cluster of Vedette nodes.
 *
 * @example
 * // vedette.yaml
 * // cluster:
 * //   plugin: '@vedette/storage-redis'
 * //   config: { url: 'redis://redis.internal:6379', prefix: 'vedette:' }
 */
const plugin = defineCoordination<RedisCoordinationConfig>({
  create(config, ctx) {
    return new RedisCoordinator({ ...resolveConfig(config), name: ctx.name, logger: ctx.logger })
  }
})

export default plugin
export { RedisCoordinator } from './redis-coordinator.js'
export type { RedisCoordinatorOptions } from './redis-coordinator.js'
export { resolveConfig, redactUrl, DEFAULT_PREFIX, DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT } from './config.js'
export type { RedisCoordinationConfig, ResolvedRedisConfig } from './config.js'
export { keyLayout } from './keys.js'
export type { KeyLayout } from './keys.js'
export { InvalidArgumentError, InvalidConfigError, NotStartedError, RedisCommandError, RedisUnavailableError } from './errors.js'
