import { InvalidConfigError } from './errors.js'

/** The memory store takes no options; the type exists so the plugin signature says so. */
export type MemoryStorageConfig = Record<string, never>

/** Accepts `{}` (or nothing); any key is a typo worth failing on, as the manifest schema says. */
export function parseConfig(config: unknown): MemoryStorageConfig {
  if (config === undefined || config === null) return {}
  if (typeof config !== 'object' || Array.isArray(config)) throw new InvalidConfigError('expected an object')
  const keys = Object.keys(config)
  if (keys.length > 0) throw new InvalidConfigError(`unknown option(s) ${keys.map((k) => `'${k}'`).join(', ')}; it takes none`)
  return {}
}
