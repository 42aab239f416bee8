import { isAbsolute, join } from 'node:path'
import { parseRetentionConfig } from '@vedette/sdk'
import type { PluginContext, RetentionConfig, RetentionPolicy } from '@vedette/sdk'
import { InvalidConfigError } from './errors.js'

export type PartitionInterval = 'day' | 'week' | 'month'

/** The plugin's config block; the JSON Schema in package.json describes the same fields. */
export interface PostgresStorageConfig {
  /** `postgres://user:password@host:5432/db`; the password is never logged. */
  url: string
  /** Schema that holds every table; created at start. Default `vedette`. */
  schema?: string
  /** Most connections open at once. Default 10. */
  poolSize?: number
  /** Most results written in one transaction when buffered results are replayed. Default 10000. */
  batchSize?: number
  /** Time span of one results partition. Default `day`. */
  partitionInterval?: PartitionInterval
  /** Partitions created ahead of the current one at start and by maintenance. Default 3. */
  partitionsAhead?: number
  /** Results held in memory while PostgreSQL is unreachable, before spilling to disk. Default 100000. */
  bufferLimit?: number
  /** Where results beyond `bufferLimit` are spilled. Default `<dataDir>/pg-spill`. */
  spillDir?: string
  /** How long `stop()` waits for buffered results to reach PostgreSQL before spilling them. Default 10000. */
  stopTimeoutMs?: number
  /** How long each tier of results is kept (durations such as `7d`, or integer ms); see retentionConfigSchema in @vedette/sdk. */
  retention?: RetentionConfig
}

export interface ResolvedPostgresConfig {
  url: string
  schema: string
  poolSize: number
  batchSize: number
  partitionInterval: PartitionInterval
  partitionsAhead: number
  bufferLimit: number
  /** Absolute. */
  spillDir: string
  stopTimeoutMs: number
  retention: RetentionPolicy
}

export const DEFAULTS = {
  schema: 'vedette',
  poolSize: 10,
  batchSize: 10_000,
  partitionInterval: 'day',
  partitionsAhead: 3,
  bufferLimit: 100_000,
  spillDirName: 'pg-spill',
  stopTimeoutMs: 10_000
} as const

const KNOWN = new Set([
  'url',
  'schema',
  'poolSize',
  'batchSize',
  'partitionInterval',
  'partitionsAhead',
  'bufferLimit',
  'spillDir',
  'stopTimeoutMs',
  'retention'
])
const INTERVALS: ReadonlySet<string> = new Set<PartitionInterval>(['day', 'week', 'month'])
// Unquoted-identifier rules, lower case only: the name is also used inside
// partition and lock names, and case-folding surprises are not worth it.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Validates the config block and applies defaults; touches neither the network nor the disk. */
export function resolveConfig(config: unknown, ctx: PluginContext): ResolvedPostgresConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new InvalidConfigError('expected an object with at least `url`')
  const c = config as Record<string, unknown>
  for (const key of Object.keys(c)) {
    if (!KNOWN.has(key)) throw new InvalidConfigError(`unknown option '${key}' (known: ${[...KNOWN].join(', ')})`)
  }
  const url = connectionUrl(c.url)

  const schema = c.schema ?? DEFAULTS.schema
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema) || schema.startsWith('pg_')) {
    throw new InvalidConfigError(`schema must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters, not pg_*), got ${JSON.stringify(schema)}`)
  }
  const partitionInterval = c.partitionInterval ?? DEFAULTS.partitionInterval
  if (typeof partitionInterval !== 'string' || !INTERVALS.has(partitionInterval)) {
    throw new InvalidConfigError(`partitionInterval must be one of ${[...INTERVALS].join(', ')}, got ${String(partitionInterval)}`)
  }
  let spillDir = join(ctx.dataDir, DEFAULTS.spillDirName)
  if (c.spillDir !== undefined) {
    if (typeof c.spillDir !== 'string' || c.spillDir === '') throw new InvalidConfigError('spillDir must be a non-empty string')
    spillDir = isAbsolute(c.spillDir) ? c.spillDir : ctx.resolvePath(c.spillDir)
  }
  return {
    url,
    schema,
    poolSize: integer(c.poolSize, 'poolSize', DEFAULTS.poolSize, 1),
    batchSize: integer(c.batchSize, 'batchSize', DEFAULTS.batchSize, 1),
    partitionInterval: partitionInterval as PartitionInterval,
    partitionsAhead: integer(c.partitionsAhead, 'partitionsAhead', DEFAULTS.partitionsAhead, 0),
    bufferLimit: integer(c.bufferLimit, 'bufferLimit', DEFAULTS.bufferLimit, 0),
    spillDir,
    stopTimeoutMs: integer(c.stopTimeoutMs, 'stopTimeoutMs', DEFAULTS.stopTimeoutMs, 0),
    // VDT_ERR_STORAGE_INVALID_RETENTION, the code every store reports a bad block with.
    retention: parseRetentionConfig(c.retention)
  }
}

function connectionUrl(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new InvalidConfigError('url is required: postgres://user:password@host:5432/database')
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    // The message must not quote the value: it may be a URL with a password in it.
    throw new InvalidConfigError('url is not a valid URL (expected postgres://user:password@host:5432/database; percent-encode special characters in the password)')
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InvalidConfigError(`url must start with postgres:// or postgresql://, got ${parsed.protocol}//`)
  }
  return value
}

function integer(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`)
  }
  return value
}
