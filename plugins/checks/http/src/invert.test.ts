import t from 'tap'
import { closedPort, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck, invertOutcome } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

t.test('invert: a run that would be down is up, and says it was inverted', async (t) => {
  const port = await closedPort()
  const refused = await runCheck(plugin, { url: `http://127.0.0.1:${port}/`, invert: true })
  t.equal(refused.status, 'up', String(refused.message))
  t.equal(refused.message, `failed as expected (invert): connection refused by 127.0.0.1:${port}`)
  t.match(refused.observations, { failedPhase: 'connect', errorCode: 'ECONNREFUSED' }, 'what happened is still reported')

  const { base } = await serve(t, (req, res) => {
    res.statusCode = req.url === '/admin' ? 403 : 200
    res.end()
  })
  const forbidden = await runCheckInline(httpCheck, { url: `${base}/admin`, invert: true })
  t.equal(forbidden.status, 'up')
  t.equal(forbidden.message, 'failed as expected (invert): unexpected status 403 Forbidden (expected 200-299)')
  t.equal(forbidden.observations?.statusCode, 403)
})

t.test('invert: a run that would be up is down', async (t) => {
  const { base } = await serve(t, (_req, res) => res.end('open to the world'))
  const result = await runCheck(plugin, { url: `${base}/admin`, invert: true })
  t.equal(result.status, 'down')
  t.equal(result.message, 'expected to fail but succeeded (invert): HTTP 200 OK')
  t.equal(result.observations?.statusCode, 200)
})

t.test('invert: a timeout is an expected failure too, reported by the check before the runtime’s deadline', async (t) => {
  const { base } = await serve(t, () => {}) // a black hole: never answers
  // Through the worker, whose first run also loads the plugin: a budget that leaves time to get connected.
  const result = await runCheck(plugin, { url: base, invert: true }, { timeoutMs: 1500 })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, 'failed as expected (invert): timed out after 1500 ms (ttfb phase)')
  t.equal(result.reason, undefined, 'not a timeout of the monitor’s making')
  const plain = await runCheckInline(httpCheck, { url: base }, { timeoutMs: 400 })
  t.equal(plain.status, 'down')
  t.equal(plain.reason, 'timeout')
  t.equal(plain.message, 'timed out after 400 ms (ttfb phase)', 'the check’s own message, with the phase it was stuck in')
})

t.test('invert: assertions judge the inverted verdict; degraded and unknown are not inverted', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.statusCode = 403
    res.end('{"error":"forbidden"}')
  })
  const asExpected = await runCheckInline(httpCheck, { url: base, invert: true }, { assertions: ['status == 403', 'json $.error == forbidden'] })
  t.equal(asExpected.status, 'up', String(asExpected.message))
  const wrongFailure = await runCheckInline(httpCheck, { url: base, invert: true }, { assertions: ['status == 401'] })
  t.equal(wrongFailure.status, 'down', 'failing, but not the expected way')
  const warned = await runCheckInline(httpCheck, { url: base, invert: true }, { assertions: ['status == 401 warning'] })
  t.equal(warned.status, 'degraded', 'a warning assertion on the inverted verdict degrades it, and stays degraded')
  const broken = await runCheckInline(httpCheck, { url: 'ftp://127.0.0.1/', invert: true })
  t.equal(broken.status, 'unknown', 'a config error stays unknown')
  t.same(invertOutcome({ status: 'degraded', message: 'slow' }), { status: 'degraded', message: 'slow' })
  t.same(invertOutcome({ status: 'unknown', message: 'x' }), { status: 'unknown', message: 'x' })
})
