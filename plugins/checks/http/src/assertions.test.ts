import t from 'tap'
import { runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

const items = Array.from({ length: 200 }, (_, i) => ({ id: i, ok: i !== 137, name: `item-${i}`, note: 'x'.repeat(60) }))

t.test('assertions judge the response in the worker; every result is recorded, the body is not stored', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('x-version', 'v42')
    res.end(JSON.stringify({ ok: true, count: items.length, items }))
  })
  const passing = await runCheck(plugin, { url: `${base}/` }, {
    assertions: ['status in 200..299', 'header.content-type contains json', 'json $.ok == true', 'json $.count > 100', 'body matches /item-19\\d/', 'latency < 5s warning']
  })
  t.equal(passing.status, 'up', String(passing.message))
  const results = passing.observations?.assertions as Array<{ expr: string; pass: boolean }>
  t.equal(results.length, 6)
  t.ok(results.every((r) => r.pass), 'every assertion passed')
  t.notOk('body' in (passing.observations ?? {}), 'the body read for assertions is not an observation')

  const warned = await runCheckInline(httpCheck, { url: `${base}/` }, { assertions: ['status == 200', 'json $.items[?@.ok==false] empty warning'] })
  t.equal(warned.status, 'degraded', 'a failed warning assertion degrades')
  t.match(warned.message, /assertion failed: json .* empty/)
  const failed = (warned.observations?.assertions as Array<{ pass: boolean; actual: unknown }>).find((r) => !r.pass)
  t.match(JSON.stringify(failed?.actual), /137/, 'the actual value names the failing item')

  const down = await runCheckInline(httpCheck, { url: `${base}/` }, { assertions: ['header.x-version == v41', 'latency.ttfb < 1ms warning'] })
  t.equal(down.status, 'down', 'a failed critical assertion is down, worse than any warning')
})

t.test('a check that is already down stays down; unknown outcomes are not judged', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.statusCode = 500
    res.end('{}')
  })
  const r = await runCheckInline(httpCheck, { url: `${base}/` }, { assertions: ['json $.ok exists warning'] })
  t.equal(r.status, 'down')
  t.match(r.message, /500/, 'the check’s own message is kept')
})
