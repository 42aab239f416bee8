import ms from 'ms'
import { createError } from '../errors.js'
import type { JsonSchema } from '../manifest.js'
import type { RetentionPolicy } from '../retention.js'

/**
 * A storage plugin's `retention` config block: how long each tier is kept, as
 * Vedette durations (`7d`, `36h`, `2 weeks`) or integer milliseconds.
 */
export interface RetentionConfig {
  raw?: string | number
  minute?: string | number
  hour?: string | number
  day?: string | number
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** The defaults, as a config block: a week of raw results, a month of minutes, 13 months of hours, 5 years of days. */
export const DEFAULT_RETENTION_CONFIG: Readonly<Record<keyof RetentionConfig, string>> = Object.freeze({ raw: '7d', minute: '30d', hour: '395d', day: '1826d' })

/** The defaults in milliseconds. */
export const DEFAULT_RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  rawMs: 7 * DAY_MS,
  minuteMs: 30 * DAY_MS,
  hourMs: 395 * DAY_MS,
  dayMs: 1826 * DAY_MS
})

/**
 * A duration string, the same grammar the engine config uses: a non-negative
 * number, optional spaces, a unit `ms` understands. Years are left out (`ms`
 * counts 365.25 days; say `395d`).
 */
export const RETENTION_DURATION_PATTERN =
  '^[0-9]+(\\.[0-9]+)? *(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$'
const durationRe = new RegExp(RETENTION_DURATION_PATTERN)

/** A bad `retention` block or policy; the message names the field and the rule. */
export const InvalidRetentionError = createError<[string]>('VDT_ERR_STORAGE_INVALID_RETENTION', 'Invalid retention: %s')

const duration = (description: string, fallback: string): JsonSchema => ({
  description: `${description} Default: ${fallback}.`,
  default: fallback,
  oneOf: [
    { type: 'integer', minimum: 1, description: 'Milliseconds.' },
    { type: 'string', pattern: RETENTION_DURATION_PATTERN, description: 'A number with a unit: 36h, 7d, 2w.' }
  ]
})

/**
 * The JSON Schema of the `retention` block, as storage plugins declare it
 * under `configSchema.properties.retention` in their package.json (the
 * manifest is static JSON, so it is copied there; the plugins' tests compare
 * the copy with this).
 */
export const retentionConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'How long results are kept, per tier. Raw results answer recent windows exactly; 1-minute, 1-hour and 1-day rollups (counts per status, latency min/avg/max and a histogram for percentiles) answer older ones. Each tier must be kept at least as long as the finer one before it; minute rollups at least 1h and hour rollups at least 1d.',
  properties: {
    raw: duration('How long raw check results are kept.', DEFAULT_RETENTION_CONFIG.raw),
    minute: duration('How long 1-minute rollups are kept.', DEFAULT_RETENTION_CONFIG.minute),
    hour: duration('How long 1-hour rollups are kept.', DEFAULT_RETENTION_CONFIG.hour),
    day: duration('How long 1-day rollups are kept.', DEFAULT_RETENTION_CONFIG.day)
  }
}

const FIELDS = [
  ['raw', 'rawMs'],
  ['minute', 'minuteMs'],
  ['hour', 'hourMs'],
  ['day', 'dayMs']
] as const

/**
 * The policy a `retention` block asks for, with the defaults for what it
 * leaves out; throws `VDT_ERR_STORAGE_INVALID_RETENTION` naming the field.
 *
 * @example
 * parseRetentionConfig({ raw: '14d' }) // { rawMs: 1209600000, minuteMs: 2592000000, ... }
 */
export function parseRetentionConfig(config: unknown, where = 'retention'): RetentionPolicy {
  if (config === undefined || config === null) return { ...DEFAULT_RETENTION_POLICY }
  if (typeof config !== 'object' || Array.isArray(config)) throw new InvalidRetentionError(`${where} must be an object`)
  const c = config as Record<string, unknown>
  const known = new Set<string>(FIELDS.map(([key]) => key))
  for (const key of Object.keys(c)) {
    if (!known.has(key)) throw new InvalidRetentionError(`unknown key '${where}.${key}' (known: ${[...known].join(', ')})`)
  }
  const policy = { ...DEFAULT_RETENTION_POLICY }
  for (const [key, field] of FIELDS) {
    if (c[key] !== undefined) policy[field] = parseRetentionDuration(c[key], `${where}.${key}`)
  }
  return checkRetentionPolicy(policy, where)
}

/** One duration: a string with a unit or integer ms, positive. */
export function parseRetentionDuration(value: unknown, where: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return value
  } else if (typeof value === 'string' && durationRe.test(value)) {
    const result = Math.round(ms(value as ms.StringValue))
    if (Number.isFinite(result) && result > 0) return result
  }
  throw new InvalidRetentionError(`${where} must be a positive duration like '7d', '36h' or integer milliseconds, got ${JSON.stringify(value) ?? String(value)}`)
}

/**
 * Checks the rules rollups rely on and returns the policy: every tier is kept
 * at least as long as the finer one (a coarser bucket is rebuilt from the finer
 * tier, which must still be there), minute rollups at least an hour and hour
 * rollups at least a day (the newest hour or day bucket is still open, and the
 * finer tier answers for it meanwhile).
 */
export function checkRetentionPolicy(policy: RetentionPolicy, where = 'retention'): RetentionPolicy {
  for (const [key, field] of FIELDS) {
    const v = policy[field]
    if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidRetentionError(`${where}.${key} must be a positive integer of milliseconds, got ${String(v)}`)
  }
  const rule = (ok: boolean, why: string): void => {
    if (!ok) throw new InvalidRetentionError(`${where}: ${why}`)
  }
  rule(policy.minuteMs >= policy.rawMs, 'minute rollups must be kept at least as long as raw results')
  rule(policy.hourMs >= policy.minuteMs, 'hour rollups must be kept at least as long as minute rollups')
  rule(policy.dayMs >= policy.hourMs, 'day rollups must be kept at least as long as hour rollups')
  rule(policy.minuteMs >= HOUR_MS, 'minute rollups must be kept at least 1h')
  rule(policy.hourMs >= DAY_MS, 'hour rollups must be kept at least 1d')
  return policy
}
