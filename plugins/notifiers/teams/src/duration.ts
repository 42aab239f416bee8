/**
 * The `timeout` form every Vedette notifier takes: a whole number and a unit,
 * `ms`, `s` or `m` (`500ms`, `10s`, `1m`). The same pattern is in the JSON
 * Schema, so a value the schema accepts always parses.
 */
export const TIMEOUT_PATTERN = '^[0-9]+(ms|s|m)$'

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const
const durationRe = /^([0-9]+)(ms|s|m)$/

/**
 * Milliseconds in a duration string, or `undefined` when it is not one
 * (or is zero, which would fail every delivery).
 *
 * @example
 * parseTimeout('10s') // 10000
 * parseTimeout('10') // undefined: a unit is required
 */
export function parseTimeout(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = durationRe.exec(value)
  if (match === null) return undefined
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined
}
