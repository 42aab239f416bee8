import { createError } from '@vedette/sdk'

// This package's error registry (documented in the README's Troubleshooting
// table and in docs/errors.md). Messages never carry the URL's password: they
// use the redacted URL from config.ts.

/** The config block is unusable; thrown by `create`, before any connection. */
export const InvalidConfigError = createError<[string]>(
  'VDT_ERR_REDIS_INVALID_CONFIG',
  'Invalid @vedette/storage-redis config: %s'
)

/**
 * Redis does not answer: not connected (yet or any more), the command timed
 * out, or the connection dropped while it was in flight. 503 so the REST layer
 * reports a degraded cluster, not a bug; the engine retries on its next tick.
 */
export const RedisUnavailableError = createError<[string, string, string]>(
  'VDT_ERR_REDIS_UNAVAILABLE',
  'Redis at %s is unavailable (%s): %s',
  503
)

/** Redis answered with an error that retrying will not fix (WRONGTYPE, NOPERM, OOM...). */
export const RedisCommandError = createError<[string, string, string]>(
  'VDT_ERR_REDIS_COMMAND_FAILED',
  'Redis at %s refused %s: %s'
)

/** A call came before `start()` or after `stop()`. */
export const NotStartedError = createError<[string]>(
  'VDT_ERR_REDIS_NOT_STARTED',
  "Coordinator '%s' is not running: call start() first, and no calls after stop()",
  503
)

/** The engine passed an empty name, a non-positive TTL or a malformed message. */
export const InvalidArgumentError = createError<[string]>('VDT_ERR_REDIS_INVALID_ARGUMENT', 'Invalid coordination call: %s')
