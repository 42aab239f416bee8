import t from 'tap'
import type { CheckTaskResult } from '@vedette/sdk/worker'
import { runWithRetries } from './retry-run.js'

const down = (extra: Partial<CheckTaskResult> = {}): CheckTaskResult => ({ status: 'down', startedAt: Date.now(), latencyMs: 1, message: 'refused', observations: { errorCode: 'ECONNREFUSED', failedPhase: 'connect' }, ...extra })
const up = (): CheckTaskResult => ({ status: 'up', startedAt: Date.now(), latencyMs: 2 })

function sequence(results: CheckTaskResult[]): { attempt: () => Promise<CheckTaskResult>; calls: () => number } {
  let n = 0
  return { attempt: async () => results[Math.min(n++, results.length - 1)] as CheckTaskResult, calls: () => n }
}

t.test('a network failure is retried until success; every attempt is recorded', async (t) => {
  const s = sequence([down(), down(), up()])
  const out = await runWithRetries({ retry: { attempts: 3, backoff: 'fixed', delayMs: 5, onlyOn: 'network' } }, s.attempt)
  t.equal(out.status, 'up')
  t.equal(s.calls(), 3)
  const attempts = out.observations?.attempts as Array<{ status: string }>
  t.same(attempts.map((a) => a.status), ['down', 'down', 'up'])
})

t.test('attempts are bounded and the last failure is the result', async (t) => {
  const s = sequence([down()])
  const out = await runWithRetries({ retry: { attempts: 2, backoff: 'exponential', delayMs: 5, onlyOn: 'any' } }, s.attempt)
  t.equal(out.status, 'down')
  t.equal(s.calls(), 2)
  t.equal((out.observations?.attempts as unknown[]).length, 2)
})

t.test('onlyOn network does not retry an answer the target gave (a 500)', async (t) => {
  const s = sequence([down({ message: 'HTTP 500', observations: { statusCode: 500 } }), up()])
  const out = await runWithRetries({ retry: { attempts: 3, backoff: 'fixed', delayMs: 5, onlyOn: 'network' } }, s.attempt)
  t.equal(out.status, 'down')
  t.equal(s.calls(), 1)
  t.notOk(out.observations && 'attempts' in out.observations, 'a single attempt lists none')
})

t.test('timeouts count as network failures; unknown results are never retried', async (t) => {
  const timeout = sequence([down({ reason: 'timeout', observations: {} }), up()])
  t.equal((await runWithRetries({ retry: { attempts: 2, backoff: 'fixed', delayMs: 1, onlyOn: 'network' } }, timeout.attempt)).status, 'up')
  const overloaded = sequence([{ status: 'unknown', reason: 'overloaded', startedAt: 0, latencyMs: 0 }, up()])
  t.equal((await runWithRetries({ retry: { attempts: 3, backoff: 'fixed', delayMs: 1, onlyOn: 'any' } }, overloaded.attempt)).status, 'unknown')
  t.equal(overloaded.calls(), 1)
})

t.test('exponential backoff doubles the wait', async (t) => {
  const s = sequence([down(), down(), down()])
  const t0 = Date.now()
  await runWithRetries({ retry: { attempts: 3, backoff: 'exponential', delayMs: 40, onlyOn: 'network' } }, s.attempt)
  t.ok(Date.now() - t0 >= 40 + 80 - 5, `waited ${Date.now() - t0} ms for 40 + 80`)
})
