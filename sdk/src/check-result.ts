/** The outcome of one check run, as seen by a check plugin. */
export type CheckStatus = 'up' | 'degraded' | 'down' | 'unknown'
export const CHECK_STATUSES: readonly CheckStatus[] = ['up', 'degraded', 'down', 'unknown']

/** A monitor's kept state. `pending` until its first result decides otherwise. */
export type MonitorStatus = 'pending' | 'up' | 'degraded' | 'down' | 'paused' | 'maintenance'

/**
 * Why a run ended the way it did when the check itself did not decide:
 * `timeout` the deadline passed, `error` the plugin threw, `crashed` its worker
 * died, `overloaded` the dispatch queue was full, `skipped` the run was vetoed.
 */
export type ResultReason = 'timeout' | 'error' | 'crashed' | 'overloaded' | 'skipped' | (string & {})

/** Phase timings in milliseconds. HTTP checks fill dns/connect/tls/ttfb/transfer. */
export interface PhaseTimings {
  dns?: number
  connect?: number
  tls?: number
  ttfb?: number
  transfer?: number
  [phase: string]: number | undefined
}

/** A numeric measurement in the spirit of Nagios perfdata. */
export interface Metric {
  label: string
  value: number
  unit?: string
  warn?: number
  crit?: number
  min?: number
  max?: number
}

/** JSON values a check may expose for assertions and display. */
export type ObservationValue =
  | string
  | number
  | boolean
  | null
  | ObservationValue[]
  | { [key: string]: ObservationValue }

export type Observations = Record<string, ObservationValue>

/** What a check plugin returns. Everything but `status` is optional. */
export interface CheckOutcome {
  status: CheckStatus
  /** Total time; measured by the runtime when left out. */
  latencyMs?: number
  message?: string
  reason?: ResultReason
  phases?: PhaseTimings
  metrics?: Metric[]
  observations?: Observations
  /**
   * Raw material for assertions that is never stored: the response body and
   * headers. Fill it when `ctx.wants` asks; the runtime drops it after
   * evaluating the monitor's assertions.
   */
  context?: { body?: string; headers?: Record<string, string | string[] | undefined> }
}

/** A complete result, as stored and passed through the hook pipeline. */
export interface CheckResult extends CheckOutcome {
  tenantId: string
  monitorId: string
  /** Epoch milliseconds when the run started. */
  startedAt: number
  latencyMs: number
}
