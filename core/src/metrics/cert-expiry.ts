import type { ObservationValue, Observations } from '@vedette/sdk'

/** Observation keys that hold a certificate's notAfter as a date or epoch (checks name it differently). */
const NOT_AFTER_KEYS = ['certNotAfter', 'certExpiry', 'certExpiresAt', 'notAfter', 'validTo', 'valid_to']
/** Keys that hold the days left, relative to the run's start. */
const DAYS_LEFT_KEYS = ['daysUntilExpiry', 'certDaysUntilExpiry', 'certDaysRemaining']
/** Where a check may nest certificate facts: one object, or a chain as an array of them. */
const CONTAINER_KEYS = ['certificate', 'cert', 'peerCertificate', 'tls', 'certificates', 'chain']
const DAY_SECONDS = 86_400
/**
 * Epoch numbers at or above this are milliseconds: 1e11 seconds is the year
 * 5138, 1e11 milliseconds is 1973 — no certificate in use expires before that.
 */
const MS_THRESHOLD = 1e11

/**
 * The earliest certificate expiry a result reports, in epoch seconds, or
 * undefined when it reports none. Check plugins are third-party and not
 * bound to one spelling, so this accepts the usual ones: an ISO or RFC 2822
 * date (Node's `valid_to` is "Mar 25 12:00:00 2026 GMT"), epoch seconds or
 * milliseconds, or days left — at the top level, under `certificate`/`tls`,
 * or in a chain array (the earliest entry wins, as in blackbox_exporter's
 * `probe_ssl_earliest_cert_expiry`). An absolute date beats days left, which
 * is rounded by whoever computed it.
 *
 * @example
 * certExpirySeconds({ certNotAfter: '2030-01-01T00:00:00Z' }, Date.now()) // 1893456000
 * certExpirySeconds({ daysUntilExpiry: 10 }, 1_700_000_000_000) // 1700864000
 */
export function certExpirySeconds(observations: Observations | undefined, startedAt: number): number | undefined {
  if (observations === undefined) return undefined
  const found = { absolute: Infinity, relative: Infinity }
  scan(observations, startedAt, found, 0)
  if (found.absolute !== Infinity) return found.absolute
  return found.relative !== Infinity ? found.relative : undefined
}

function scan(value: ObservationValue, startedAt: number, found: { absolute: number; relative: number }, depth: number): void {
  // Two levels cover `tls.certificate.notAfter` and `tls.certificates[i].notAfter`; deeper is not a certificate.
  if (depth > 3) return
  if (Array.isArray(value)) {
    for (const item of value) scan(item, startedAt, found, depth + 1)
    return
  }
  if (value === null || typeof value !== 'object') return
  for (const key of NOT_AFTER_KEYS) {
    const at = epochSeconds(value[key])
    if (at !== undefined && at < found.absolute) found.absolute = at
  }
  for (const key of DAYS_LEFT_KEYS) {
    const days = value[key]
    if (typeof days !== 'number' || !Number.isFinite(days)) continue
    const at = Math.round(startedAt / 1000 + days * DAY_SECONDS)
    if (at < found.relative) found.relative = at
  }
  if (depth >= 2) return
  for (const key of CONTAINER_KEYS) {
    const nested = value[key]
    if (nested !== undefined) scan(nested, startedAt, found, depth + 1)
  }
}

function epochSeconds(value: ObservationValue | undefined): number | undefined {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) n = Number(value)
  else if (typeof value === 'string') {
    const ms = Date.parse(value)
    if (Number.isNaN(ms)) return undefined
    return Math.floor(ms / 1000)
  } else return undefined
  if (!Number.isFinite(n) || n <= 0) return undefined
  return Math.floor(n >= MS_THRESHOLD ? n / 1000 : n)
}
