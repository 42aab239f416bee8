/**
 * The `timeout` option every Vedette notifier takes: a whole number and a
 * unit, `ms`, `s` or `m` (`500ms`, `10s`, `1m`). Kept this narrow on purpose:
 * each notifier's JSON Schema uses this pattern, so a value the schema
 * accepts always parses.
 */
export const TIMEOUT_PATTERN = '^[0-9]+(ms|s|m)$'

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const
const timeoutRe = /^([0-9]+)(ms|s|m)$/

/**
 * Milliseconds in a `timeout` value, or `undefined` when it is not one (or
 * is zero, which would fail every delivery).
 *
 * @example
 * parseTimeout('10s') // 10000
 * parseTimeout('250ms') // 250
 * parseTimeout('10') // undefined: a unit is required
 */
export function parseTimeout(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const match = timeoutRe.exec(value)
  if (match === null) return undefined
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined
}

/** A resolved `timeout` option: as configured (reports quote it) and in milliseconds. */
export interface TimeoutOption {
  timeout: string
  timeoutMs: number
}

/**
 * The `timeout` option of a notifier config, `fallback` when absent. An
 * unusable value adds a problem to `problems` (so a config error can list
 * every problem at once) and returns `undefined`.
 *
 * @example
 * const problems: string[] = []
 * timeoutOption(undefined, '10s', problems) // { timeout: '10s', timeoutMs: 10000 }
 * timeoutOption('1h', '10s', problems) // undefined; problems: ['timeout must be a duration like 10s, 500ms or 1m, got "1h"']
 */
export function timeoutOption(value: unknown, fallback: string, problems: string[]): TimeoutOption | undefined {
  const timeout = value ?? fallback
  const timeoutMs = parseTimeout(timeout)
  if (timeoutMs === undefined) {
    problems.push(`timeout must be a duration like ${fallback}, 500ms or 1m, got ${JSON.stringify(value)}`)
    return undefined
  }
  return { timeout: timeout as string, timeoutMs }
}
