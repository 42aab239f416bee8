/**
 * The `timeout` option: a whole number with a unit, `ms`, `s` or `m`, the same
 * spelling every Vedette notifier uses. Kept this narrow on purpose: the JSON
 * Schema pattern and this parser are one definition, so a value the schema
 * accepts always parses.
 */
export const TIMEOUT_PATTERN = '^[0-9]+(ms|s|m)$'

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const
const timeoutRe = /^([0-9]+)(ms|s|m)$/

/**
 * Milliseconds for a `timeout` value, or undefined when it is not one (or is 0).
 *
 * @example
 * parseTimeout('10s') // 10000
 * parseTimeout('250ms') // 250
 */
export function parseTimeout(value: string): number | undefined {
  const match = timeoutRe.exec(value)
  if (match === null) return undefined
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined
}
