import { parseRetentionConfig } from '@vedette/sdk'
import type { RetentionConfig, RetentionPolicy } from '@vedette/sdk'
import { InvalidConfigError } from './errors.js'

/** The config block; the JSON Schema in package.json describes the same fields. */
export interface MemoryStorageConfig {
  /** How long raw results and each rollup tier are kept (`{ raw: '7d', minute: '30d', hour: '395d', day: '1826d' }` by default). */
  retention?: RetentionConfig
}

export interface ResolvedMemoryConfig {
  retention: RetentionPolicy
}

/** Validates the block and applies defaults; any other key is a typo worth failing on, as the manifest schema says. */
export function parseConfig(config: unknown): ResolvedMemoryConfig {
  if (config === undefined || config === null) return { retention: parseRetentionConfig(undefined) }
  if (typeof config !== 'object' || Array.isArray(config)) throw new InvalidConfigError('expected an object')
  const unknown = Object.keys(config).filter((k) => k !== 'retention')
  if (unknown.length > 0) throw new InvalidConfigError(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; the only option is 'retention'`)
  // Bad retention values throw VDT_ERR_STORAGE_INVALID_RETENTION, naming the field.
  return { retention: parseRetentionConfig((config as MemoryStorageConfig).retention) }
}
