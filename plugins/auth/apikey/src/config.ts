import { ApiKeyConfigError } from './errors.js'

/** The plugin's options, as in `auth.plugins[].config` (schema: `vedette.configSchema` in package.json). */
export interface ApiKeyAuthConfig {
  /** Seconds a verified key is trusted without checking storage again; 0 turns the cache off. Default 30. */
  cacheTtl?: number
  /** Most verified keys kept in the cache. Default 1000. */
  cacheSize?: number
  /** Create and print an admin key on a first start with no key stored. Default true. */
  bootstrapAdmin?: boolean
}

export interface ResolvedConfig {
  cacheTtlMs: number
  cacheSize: number
  bootstrapAdmin: boolean
}

const LIMITS = { cacheTtl: [0, 3600], cacheSize: [1, 1_000_000] } as const

/**
 * Validates again what the engine already checked against the schema: the
 * plugin can be created directly (tests, embedding) and must fail with a
 * precise message rather than with a NaN deep inside the cache.
 */
export function parseConfig(config: unknown): ResolvedConfig {
  if (config === undefined || config === null) config = {}
  if (typeof config !== 'object' || Array.isArray(config)) throw new ApiKeyConfigError('expected an object')
  const input = config as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !['cacheTtl', 'cacheSize', 'bootstrapAdmin'].includes(k))
  if (unknown.length > 0) throw new ApiKeyConfigError(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`)
  const int = (name: keyof typeof LIMITS, fallback: number): number => {
    const value = input[name] ?? fallback
    const [min, max] = LIMITS[name]
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ApiKeyConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
    }
    return value
  }
  const bootstrapAdmin = input.bootstrapAdmin ?? true
  if (typeof bootstrapAdmin !== 'boolean') throw new ApiKeyConfigError(`bootstrapAdmin must be a boolean, got ${JSON.stringify(bootstrapAdmin)}`)
  return { cacheTtlMs: int('cacheTtl', 30) * 1000, cacheSize: int('cacheSize', 1000), bootstrapAdmin }
}
