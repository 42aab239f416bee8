import type { CheckMonitor } from '../check.js'
import type { CheckOutcome } from '../check-result.js'
import type { AssertionNode } from '../assertions/assertion-types.js'
import type { PushState } from '../push.js'

/** One check run, as sent to a worker thread or an isolated process. Must be structured-clonable. */
export interface CheckTask {
  /** `file:` URL of the plugin's entry module. */
  module: string
  monitor: CheckMonitor
  config: unknown
  timeoutMs: number
  /** The monitor's assertions, evaluated here, next to the response. */
  assertions?: AssertionNode[]
  /** Push-based checks: the pings the engine received for this monitor. */
  pushes?: PushState
}

/** What comes back from the worker: a normalised outcome with timing filled in. */
export interface CheckTaskResult extends CheckOutcome {
  startedAt: number
  latencyMs: number
}
