import { performance } from 'node:perf_hooks'
import type { CheckMonitor, CheckPlugin } from '../check.js'
import type { CheckOutcome } from '../check-result.js'
import { CheckTimeoutError } from '../errors.js'
import type { CheckTaskResult } from './check-task.js'
import { normalizeOutcome } from './normalize-outcome.js'
import { applyAssertions, assertionWants } from './apply-assertions.js'
import type { AssertionNode } from '../assertions/assertion-types.js'
import type { PushState } from '../push.js'

export interface DeadlineRun {
  monitor: CheckMonitor
  config: unknown
  timeoutMs: number
  assertions?: AssertionNode[]
  pushes?: PushState
  /** Aborts the run early (a stopping engine); the deadline aborts it anyway. */
  signal?: AbortSignal
}

/**
 * The deadline rules every check runs under, in the worker and in tests: the
 * context's signal aborts at `timeoutMs`, a run still going then is `down` /
 * `timeout` (even if the plugin ignores the signal), a throw is `unknown` /
 * `error`, and the outcome is normalised.
 */
export async function runWithDeadline(load: () => Promise<CheckPlugin>, run: DeadlineRun): Promise<CheckTaskResult> {
  const { timeoutMs, signal } = run
  const startedAt = Date.now()
  const t0 = performance.now()
  const controller = new AbortController()
  const forward = (): void => controller.abort(signal?.reason)
  if (signal?.aborted) forward()
  else signal?.addEventListener('abort', forward, { once: true })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      const err = new CheckTimeoutError(timeoutMs)
      controller.abort(err)
      resolve({ status: 'down', reason: 'timeout', message: err.message })
    }, timeoutMs)
  })
  let outcome: unknown
  try {
    const plugin = await load()
    const wants = assertionWants(run.assertions)
    const pending = plugin.run({ monitor: run.monitor, config: run.config, signal: controller.signal, timeoutMs, deadline: startedAt + timeoutMs, wants, ...(run.pushes === undefined ? {} : { pushes: run.pushes }) })
    outcome = applyAssertions(await Promise.race([pending, deadline]), run.assertions)
  } catch (err) {
    outcome = controller.signal.aborted
      ? { status: 'down', reason: 'timeout', message: new CheckTimeoutError(timeoutMs).message }
      : { status: 'unknown', reason: 'error', message: describeThrown(err) }
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', forward)
  }
  return normalizeOutcome(outcome, startedAt, performance.now() - t0)
}

/** `CODE: message` when the error has a code, so reports name the cause. */
export function describeThrown(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const { code } = err as NodeJS.ErrnoException
  return code ? `${code}: ${err.message}` : err.message
}
