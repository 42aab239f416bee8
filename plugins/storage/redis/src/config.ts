import { InvalidConfigError } from './errors.js'

/** The plugin's config block; the JSON Schema in package.json describes the same fields. */
export interface RedisCoordinationConfig {
  /** `redis://[user:password@]host[:port][/db]` or `rediss://` for TLS. */
  url: string
  /** Put before every key and channel name; default `vedette:`. */
  prefix?: string
  /** Milliseconds to wait for a TCP (and TLS) connection before retrying; default 5000. */
  connectTimeout?: number
  /** Milliseconds a command may wait for its reply before it fails; default 2000. */
  commandTimeout?: number
}

export interface ResolvedRedisConfig {
  url: string
  /** The URL with its password replaced by `***`: the only form that goes into logs and errors. */
  safeUrl: string
  prefix: string
  connectTimeout: number
  commandTimeout: number
}

export const DEFAULT_PREFIX = 'vedette:'
export const DEFAULT_CONNECT_TIMEOUT = 5000
export const DEFAULT_COMMAND_TIMEOUT = 2000
const KNOWN = new Set(['url', 'prefix', 'connectTimeout', 'commandTimeout'])

/** `redis://user:secret@host` → `redis://user:***@host`; anything unparsable becomes `<invalid url>`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.href
  } catch {
    return '<invalid url>'
  }
}

function timeout(c: Record<string, unknown>, key: 'connectTimeout' | 'commandTimeout', fallback: number): number {
  const value = c[key] ?? fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 600_000) {
    throw new InvalidConfigError(`${key} must be an integer number of milliseconds from 1 to 600000, got ${String(value)}`)
  }
  return value
}

/** Validates the config block and applies defaults; opens no connection. */
export function resolveConfig(config: unknown): ResolvedRedisConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidConfigError("expected an object with at least 'url'")
  }
  const c = config as Record<string, unknown>
  for (const key of Object.keys(c)) {
    if (!KNOWN.has(key)) throw new InvalidConfigError(`unknown option '${key}' (known: ${[...KNOWN].join(', ')})`)
  }

  if (typeof c.url !== 'string' || c.url.length === 0) throw new InvalidConfigError("'url' is required, e.g. redis://127.0.0.1:6379")
  let parsed: URL
  try {
    parsed = new URL(c.url)
  } catch {
    // The raw string may hold a password, so it is not echoed back.
    throw new InvalidConfigError("'url' is not a valid URL; expected redis://[user:password@]host[:port][/db]")
  }
  const safeUrl = redactUrl(c.url)
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InvalidConfigError(`'url' must start with redis:// or rediss://, got ${safeUrl}`)
  }
  if (parsed.hostname === '') throw new InvalidConfigError(`'url' has no host: ${safeUrl}`)
  if (parsed.pathname !== '' && parsed.pathname !== '/' && !/^\/\d+$/.test(parsed.pathname)) {
    throw new InvalidConfigError(`the path of 'url' must be a database number like /0, got ${safeUrl}`)
  }

  const prefix = c.prefix ?? DEFAULT_PREFIX
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new InvalidConfigError('prefix must be a non-empty string of at most 200 characters')
  }

  return {
    url: c.url,
    safeUrl,
    prefix,
    connectTimeout: timeout(c, 'connectTimeout', DEFAULT_CONNECT_TIMEOUT),
    commandTimeout: timeout(c, 'commandTimeout', DEFAULT_COMMAND_TIMEOUT)
  }
}
