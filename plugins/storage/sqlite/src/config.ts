import { isAbsolute, join } from 'node:path'
import { parseRetentionConfig } from '@vedette/sdk'
import type { PluginContext, RetentionConfig, RetentionPolicy } from '@vedette/sdk'
import { InvalidConfigError } from './errors.js'

/** The plugin's config block; the JSON Schema in package.json describes the same fields. */
export interface SqliteStorageConfig {
  /** Database file. Relative to the config file's directory; `:memory:` for a throwaway store. Default `<dataDir>/vedette.db`. */
  path?: string
  /** How long a write waits for another connection's lock before failing; default 5000. */
  busyTimeoutMs?: number
  /** `normal` (default): commits survive a crash of the process; `full`: also a power cut, at a cost per commit. */
  synchronous?: 'normal' | 'full'
  /** How long raw results and each rollup tier are kept (`{ raw: '7d', minute: '30d', hour: '395d', day: '1826d' }` by default). */
  retention?: RetentionConfig
}

export interface ResolvedSqliteConfig {
  /** An absolute path, or `:memory:`. */
  path: string
  busyTimeoutMs: number
  synchronous: 'normal' | 'full'
  retention: RetentionPolicy
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000
export const DEFAULT_FILE_NAME = 'vedette.db'
const KNOWN = new Set(['path', 'busyTimeoutMs', 'synchronous', 'retention'])

/** Validates the config block and applies defaults; touches no file. */
export function resolveConfig(config: unknown, ctx: PluginContext): ResolvedSqliteConfig {
  if (config === undefined || config === null) config = {}
  if (typeof config !== 'object' || Array.isArray(config)) throw new InvalidConfigError('expected an object')
  const c = config as Record<string, unknown>
  for (const key of Object.keys(c)) {
    if (!KNOWN.has(key)) throw new InvalidConfigError(`unknown option '${key}' (known: ${[...KNOWN].join(', ')})`)
  }

  let path = join(ctx.dataDir, DEFAULT_FILE_NAME)
  if (c.path !== undefined) {
    if (typeof c.path !== 'string' || c.path.length === 0) throw new InvalidConfigError('path must be a non-empty string')
    path = c.path === ':memory:' || isAbsolute(c.path) ? c.path : ctx.resolvePath(c.path)
  }

  const busyTimeoutMs = c.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  if (typeof busyTimeoutMs !== 'number' || !Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new InvalidConfigError(`busyTimeoutMs must be an integer >= 0, got ${String(busyTimeoutMs)}`)
  }

  const synchronous = c.synchronous ?? 'normal'
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new InvalidConfigError(`synchronous must be 'normal' or 'full', got ${String(synchronous)}`)
  }
  // Bad retention values throw VDT_ERR_STORAGE_INVALID_RETENTION, naming the field.
  return { path, busyTimeoutMs, synchronous, retention: parseRetentionConfig(c.retention) }
}
