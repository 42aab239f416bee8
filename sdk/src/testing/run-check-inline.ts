import { performance } from 'node:perf_hooks'
import type { CheckPlugin } from '../check.js'
import type { CheckOutcome } from '../check-result.js'
import { CheckTimeoutError } from '../errors.js'
import type { CheckTaskResult } from '../runtime/check-task.js'
import { normalizeOutcome } from '../runtime/normalize-outcome.js'
import { DEFAULT_TENANT } from '../storage.js'
import type { RunCheckOptions } from './run-check.js'

export interface RunCheckInlineOptions extends RunCheckOptions {
  /** Aborts the run before its deadline, as a stopping engine would: the check must wind down and report. */
  signal?: AbortSignal
}

/**
 * Runs one check in this thread, with the worker's deadline rules: the
 * context's `signal` aborts after `timeoutMs` (default 10 s) and a run still
 * going then is `down` with reason `timeout`; a throw is `unknown`; the
 * outcome is normalised. The result has the same shape as `runCheck`'s.
 *
 * For the many small variations of a scenario: a worker thread per run makes
 * a test file slow for no extra coverage. Keep at least one `runCheck` test
 * per scenario, the real-worker path: loading by package, structured cloning,
 * the worker's guards.
 *
 * @example
 * import plugin from './index.js'
 * const result = await runCheckInline(plugin, { url: `${base}/slow` }, { timeoutMs: 300 })
 * t.equal(result.reason, 'timeout')
 */
export async function runCheckInline<C>(plugin: CheckPlugin<C>, config: C, options: RunCheckInlineOptions = {}): Promise<CheckTaskResult> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const { monitor = {}, signal } = options
  const startedAt = Date.now()
  const t0 = performance.now()
  const controller = new AbortController()
  const forward = (): void => controller.abort(signal?.reason)
  if (signal?.aborted) forward()
  else signal?.addEventListener('abort', forward, { once: true })
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      const err = new CheckTimeoutError(timeoutMs)
      controller.abort(err)
      resolve({ status: 'down', reason: 'timeout', message: err.message })
    }, timeoutMs)
  })
  let outcome: unknown
  try {
    const run = plugin.run({
      monitor: { tenantId: monitor.tenantId ?? DEFAULT_TENANT, id: monitor.id ?? 'test-monitor', name: monitor.name ?? 'test monitor', tags: monitor.tags ?? [] },
      config,
      signal: controller.signal,
      timeoutMs,
      deadline: startedAt + timeoutMs
    })
    outcome = await Promise.race([run, timedOut])
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

/** As the worker reports a throw: `CODE: message`, so messages match `runCheck`'s. */
function describeThrown(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const { code } = err as NodeJS.ErrnoException
  return code ? `${code}: ${err.message}` : err.message
}
