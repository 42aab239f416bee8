import type { CheckResult, MonitorStatus } from './check-result.js'
import type { StateChangeEvent } from './hooks.js'
import type { JsonSchema } from './manifest.js'

/** What a rule sees each time it judges a monitor (after each result and each status change). */
export interface AlertRuleInput {
  monitor: { tenantId: string; id: string; name: string; type: string; tags: readonly string[] }
  /** The newest result. */
  result: CheckResult
  /** Recent results, newest first: at least what the rule's `history` asked for, when there were that many. */
  recent: readonly CheckResult[]
  /** Recent status changes, newest first, within the rule's `history.windowMs`. */
  transitions: readonly StateChangeEvent[]
  /** The monitor's kept status after this result. */
  status: MonitorStatus
  /** Since when it has had that status (epoch ms). */
  statusSince: number
  /** Whether this rule's alert for the monitor is open now (for rules with hysteresis). */
  firing: boolean
  now: number
}

/** A rule's verdict: firing (with a one-line reason) or not. */
export interface AlertRuleVerdict {
  firing: boolean
  /** Why, for people: `3 of the last 5 runs failed`, `p95 latency 812 ms > 500 ms over 5m`. */
  summary: string
}

/**
 * A kind of alert rule. The engine ships `consecutive`, `window`, `latency`,
 * `degraded-for`, `certificate-expiry`, `heartbeat-missed` and `flapping`;
 * a plugin adds more with `alertRules` in its definition. `judge` must be a
 * pure function of its input (and params): the engine calls it on every
 * result of every matching monitor.
 */
export interface AlertRuleKind<P = Record<string, unknown>> {
  kind: string
  description: string
  /** JSON Schema of the rule's own fields (besides id, kind, severity, monitors, channels...). */
  paramsSchema: JsonSchema
  /** How much history the engine must keep for it: the last `runs` results and the last `windowMs` of results and transitions. */
  history(params: P): { runs?: number; windowMs?: number }
  judge(params: P, input: AlertRuleInput): AlertRuleVerdict
  /**
   * True for rules whose firing replaces the monitor's other notifications
   * (flapping: one notice instead of one per flip).
   */
  quietsOthers?: boolean
}

/** Declares an alert rule kind (identity helper for typing). */
export function defineAlertRule<P>(kind: AlertRuleKind<P>): AlertRuleKind<P> {
  return Object.freeze({ ...kind })
}
