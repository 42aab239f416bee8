import { InvalidStorageRecordError, type CheckResult, type CheckStatus, type Metric, type Observations, type PhaseTimings } from '@vedette/sdk'

/**
 * Results as rows. Status is a smallint, latency a float8 (exact: no rounding
 * to the microsecond), start time bigint epoch ms, and each optional field its
 * own nullable column, so `WHERE reason = 'timeout'` works in psql and an
 * absent field costs one bit of the row's null bitmap.
 */
export const STATUS_CODES: Readonly<Record<CheckStatus, number>> = { up: 0, down: 1, degraded: 2, unknown: 3 }
export const STATUS_NAMES: readonly CheckStatus[] = ['up', 'down', 'degraded', 'unknown']
export const UNKNOWN_CODE = STATUS_CODES.unknown

/** The columns a COPY writes, in order (seq comes from its sequence default). */
export const RESULT_COLUMNS = 'tenant_id, monitor_id, at, status, latency_ms, message, reason, phases, metrics, observations'
/** The columns reads select, in the order `decodeRow` expects. */
export const READ_COLUMNS = 'at, seq, status, latency_ms, message, reason, phases, metrics, observations'

export type ResultRow = [
  at: number,
  seq: number,
  status: number,
  latencyMs: number,
  message: string | null,
  reason: string | null,
  phases: PhaseTimings | null,
  metrics: Metric[] | null,
  observations: Observations | null
]

/**
 * What `assertResult` leaves to the backend: PostgreSQL keeps start times as
 * bigint and cannot store U+0000 in text, so an id with one would fail the
 * whole batch at COPY time instead of here with a precise message.
 */
export function assertStorable(r: CheckResult, where: string): void {
  if (!Number.isSafeInteger(r.startedAt)) throw new InvalidStorageRecordError(where, 'startedAt must be integer epoch milliseconds')
  if (r.tenantId.includes('\u0000') || r.monitorId.includes('\u0000')) throw new InvalidStorageRecordError(where, 'tenantId and monitorId must not contain U+0000')
}

// COPY text format: backslash, newline, carriage return and tab are the
// characters that need escaping in a field. U+0000 cannot be stored in
// PostgreSQL text at all; in message and reason it becomes U+FFFD.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0000': '\uFFFD' }
const NEEDS_ESCAPE = /[\\\n\r\t\u0000]/
const ESCAPE_ALL = /[\\\n\r\t\u0000]/g

function field(value: string | undefined): string {
  if (value === undefined) return '\\N'
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (c) => ESCAPES[c] as string) : value
}

// JSON.stringify never emits raw control characters, but its escapes contain
// backslashes, which COPY would read as its own escapes.
function jsonField(value: unknown): string {
  if (value === undefined) return '\\N'
  const json = JSON.stringify(value)
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json
}

/** One COPY text line (with its newline) for `r`. */
export function copyLine(r: CheckResult): string {
  return (
    `${field(r.tenantId)}\t${field(r.monitorId)}\t${r.startedAt}\t${STATUS_CODES[r.status]}\t${r.latencyMs}\t` +
    `${field(r.message)}\t${field(r.reason)}\t${jsonField(r.phases)}\t${jsonField(r.metrics)}\t${jsonField(r.observations)}\n`
  )
}

/** The same values as parameters (for the latest-result upsert); JSON fields as text. */
export function rowValues(r: CheckResult): [number, number, number, string | null, string | null, string | null, string | null, string | null] {
  const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v))
  const text = (v: string | undefined): string | null => (v === undefined ? null : v.replaceAll('\u0000', '\uFFFD'))
  return [r.startedAt, STATUS_CODES[r.status], r.latencyMs, text(r.message), text(r.reason), json(r.phases), json(r.metrics), json(r.observations)]
}

/** Rebuilds a result from its row (array mode), fields in the order the engine produces them. */
export function decodeRow(tenantId: string, monitorId: string, row: ResultRow): CheckResult {
  const [at, , status, latencyMs, message, reason, phases, metrics, observations] = row
  const r: CheckResult = { tenantId, monitorId, startedAt: at, status: STATUS_NAMES[status] as CheckStatus, latencyMs }
  if (message !== null) r.message = message
  if (reason !== null) r.reason = reason
  if (phases !== null) r.phases = phases
  if (metrics !== null) r.metrics = metrics
  if (observations !== null) r.observations = observations
  return r
}
