import ms from 'ms'
import { InvalidDurationError } from './errors.js'
import type { Duration } from './types.js'

/**
 * What a duration string may look like: a non-negative number, optional
 * spaces, and a unit `ms` understands. `ms` alone is more lenient (bare
 * numbers, negative values, years, any letter case) — this pattern is the
 * single definition shared by the JSON Schema and `parseDuration`, so a value
 * the schema accepts always parses. Years are left out on purpose: `ms`
 * counts 365.25 days, which nobody expects of a monitoring interval.
 */
export const DURATION_PATTERN =
  '^[0-9]+(\\.[0-9]+)? *(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$'

const durationRe = new RegExp(DURATION_PATTERN)

/**
 * Converts a config duration to milliseconds. Integers are milliseconds;
 * strings need a unit (`500ms`, `30s`, `1.5m`, `2 hours`). Fractions of a
 * millisecond are rounded.
 *
 * @param field names the value in the error, e.g. `/monitors/0/interval`.
 * @throws VDT_ERR_CONFIG_DURATION for negatives, NaN, unit-less or unknown-unit strings.
 * @example
 * parseDuration('30s') // 30000
 * parseDuration(250)   // 250
 */
export function parseDuration(value: Duration, field = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value
  } else if (typeof value === 'string' && durationRe.test(value)) {
    const result = ms(value as ms.StringValue)
    if (Number.isFinite(result)) return Math.round(result)
  }
  throw new InvalidDurationError(field, describeValue(value))
}

function describeValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return JSON.stringify(value) ?? String(value)
}
