import t from 'tap'
import { defineCheck } from '../check.js'
import type { CheckContext } from '../check.js'
import { runCheckInline } from './run-check-inline.js'

type Config = { mode: 'up' | 'hang' | 'honour' | 'throw' | 'odd' }
let seen: CheckContext<Config> | undefined

const check = defineCheck<Config>({
  async run(ctx) {
    seen = ctx
    const { mode } = ctx.config
    if (mode === 'up') return { status: 'up', message: 'fine', observations: { when: new Date(0) } as never }
    if (mode === 'throw') throw Object.assign(new Error('bad config'), { code: 'VDT_ERR_TEST' })
    if (mode === 'odd') return { status: 'sideways' } as never
    // 'hang' ignores the signal; 'honour' reports its own outcome when aborted.
    return new Promise((resolve) => {
      if (mode === 'hang') return
      const stop = (): void => resolve({ status: 'down', reason: 'timeout', message: `stopped: ${String(ctx.signal.reason)}` })
      if (ctx.signal.aborted) stop()
      else ctx.signal.addEventListener('abort', stop)
    })
  }
})

t.test('runs in this thread with the runtime’s context and a normalised result', async (t) => {
  const before = Date.now()
  const result = await runCheckInline(check, { mode: 'up' }, { timeoutMs: 1234, monitor: { id: 'm1', tags: ['a'] } })
  t.match(result, { status: 'up', message: 'fine', observations: { when: '1970-01-01T00:00:00.000Z' } }, 'observations went through JSON')
  t.type(result.startedAt, 'number')
  t.type(result.latencyMs, 'number')
  t.same(seen?.monitor, { tenantId: 'default', id: 'm1', name: 'test monitor', tags: ['a'] })
  t.equal(seen?.timeoutMs, 1234)
  t.ok((seen?.deadline as number) >= before + 1234 && (seen?.deadline as number) <= Date.now() + 1234)
})

t.test('a run past its deadline is down with reason timeout, and its signal aborted', async (t) => {
  const result = await runCheckInline(check, { mode: 'hang' }, { timeoutMs: 50 })
  t.match(result, { status: 'down', reason: 'timeout', message: 'Check did not finish within 50 ms' })
  t.ok(seen?.signal.aborted)
  t.match(seen?.signal.reason, { code: 'VDT_ERR_CHECK_TIMEOUT' })
})

t.test('an outer signal aborts the run early; the check reports for itself', async (t) => {
  const controller = new AbortController()
  setTimeout(() => controller.abort('engine stopping'), 20)
  const result = await runCheckInline(check, { mode: 'honour' }, { timeoutMs: 5000, signal: controller.signal })
  t.match(result, { status: 'down', reason: 'timeout', message: 'stopped: engine stopping' })
  const already = await runCheckInline(check, { mode: 'honour' }, { signal: AbortSignal.abort('gone') })
  t.equal(already.message, 'stopped: gone', 'an already aborted signal')
})

t.test('a throw is unknown, an invalid outcome is unknown, as in the worker', async (t) => {
  t.match(await runCheckInline(check, { mode: 'throw' }), { status: 'unknown', reason: 'error', message: 'VDT_ERR_TEST: bad config' })
  t.match(await runCheckInline(check, { mode: 'odd' }), { status: 'unknown', reason: 'error', message: /invalid status: "sideways"/ })
})
