import type { CheckPlugin } from '../check.js'
import type { CheckTaskResult } from '../runtime/check-task.js'
import { runWithDeadline } from '../runtime/run-with-deadline.js'
import { normalizeAssertions } from '../assertions/normalize-assertions.js'
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
  const { monitor = {}, signal } = options
  return runWithDeadline(async () => plugin as CheckPlugin, {
    monitor: { tenantId: monitor.tenantId ?? DEFAULT_TENANT, id: monitor.id ?? 'test-monitor', name: monitor.name ?? 'test monitor', tags: monitor.tags ?? [] },
    config,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.assertions ? { assertions: normalizeAssertions(options.assertions) } : {}),
    ...(options.pushes ? { pushes: options.pushes } : {}),
    ...(signal ? { signal } : {})
  })
}
