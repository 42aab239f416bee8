import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

t.test('200 is up with phases and observations', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.setHeader('content-type', 'text/plain')
    res.end('hello')
  })
  const result = await runCheck(plugin, { url: `${base}/health?x=1` })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, 'HTTP 200 OK')
  for (const phase of ['dns', 'connect', 'ttfb', 'transfer']) {
    t.type(result.phases?.[phase], 'number', `${phase} present`)
    t.ok((result.phases?.[phase] as number) >= 0, `${phase} >= 0`)
  }
  t.notOk('tls' in (result.phases ?? {}), 'no tls phase over plain http')
  t.ok((result.phases?.connect as number) > 0, 'connect measured')
  t.ok(result.latencyMs >= (result.phases?.connect as number) + (result.phases?.ttfb as number), 'latency covers the phases')
  t.match(result.observations, {
    statusCode: 200,
    redirects: 0,
    finalUrl: `${base}/health?x=1`,
    responseBytes: 5,
    httpVersion: '1.1',
    contentType: 'text/plain',
    remoteAddress: '127.0.0.1'
  })
  t.notOk(result.observations && 'headers' in result.observations, 'headers not captured by default')
  t.notOk(result.observations && 'body' in result.observations, 'body not captured by default')
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a hostname is resolved and the dns phase measured', async (t) => {
  const { port } = await serve(t, (_req, res) => res.end('ok'))
  const result = await runCheckInline(httpCheck, { url: `http://localhost:${port}/` })
  t.equal(result.status, 'up', String(result.message))
  t.ok((result.phases?.dns as number) > 0, 'dns > 0 for a name')
  t.equal(result.observations?.remoteAddress, '127.0.0.1')
})

t.test('500 is down and names the status', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.statusCode = 500
    res.end('boom')
  })
  const result = await runCheck(plugin, { url: base })
  t.equal(result.status, 'down')
  t.equal(result.message, 'unexpected status 500 Internal Server Error (expected 200-299)')
  t.equal(result.observations?.statusCode, 500)
})

t.test('expectedStatus integers and ranges', async (t) => {
  const { base } = await serve(t, (req, res) => {
    res.statusCode = Number(req.url?.slice(1))
    res.end()
  })
  const viaWorker = await runCheck(plugin, { url: `${base}/404`, expectedStatus: ['400-499'] })
  t.equal(viaWorker.status, 'up', String(viaWorker.message))
  const cases: [number, (number | string)[], string][] = [
    [404, [200, '500-599'], 'down'],
    [204, [204], 'up'],
    [204, ['200'], 'down'],
    [503, ['200-299', 503], 'up'],
    [299, ['200-299'], 'up'],
    [301, ['300-399'], 'up'] // a 301 without Location is a final response
  ]
  for (const [code, expectedStatus, status] of cases) {
    const result = await runCheckInline(httpCheck, { url: `${base}/${code}`, expectedStatus })
    t.equal(result.status, status, `${code} against ${JSON.stringify(expectedStatus)}: ${String(result.message)}`)
  }
  const down = await runCheckInline(httpCheck, { url: `${base}/404`, expectedStatus: [200, '500-599'] })
  t.equal(down.message, 'unexpected status 404 Not Found (expected 200, 500-599)')
})

t.test('HEAD and other methods', async (t) => {
  const methods: string[] = []
  const { base } = await serve(t, (req, res) => {
    methods.push(req.method ?? '')
    res.setHeader('content-length', '100')
    res.end(req.method === 'HEAD' ? undefined : 'x'.repeat(100))
  })
  const head = await runCheckInline(httpCheck, { url: base, method: 'HEAD' })
  t.equal(head.status, 'up', String(head.message))
  t.equal(head.observations?.responseBytes, 0, 'no body read for HEAD')
  const del = await runCheckInline(httpCheck, { url: base, method: 'DELETE' })
  t.equal(del.observations?.responseBytes, 100)
  t.same(methods, ['HEAD', 'DELETE'])
})

t.test('captureHeaders and captureBody', async (t) => {
  const { base } = await serve(t, (_req, res) => {
    res.setHeader('x-version', '1.2.3')
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.setHeader('content-type', 'application/json; charset=utf-8')
    res.end('{"status":"green","name":"Vedette ✓"}')
  })
  const result = await runCheck(plugin, { url: base, captureHeaders: true, captureBody: true })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.observations, {
    headers: { 'x-version': '1.2.3', 'set-cookie': ['a=1', 'b=2'] },
    body: '{"status":"green","name":"Vedette ✓"}',
    contentType: 'application/json; charset=utf-8'
  })
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a config the schema let through but cannot run is unknown, not down', async (t) => {
  const result = await runCheck(plugin, { url: 'ftp://127.0.0.1/', expectedStatus: ['299-200'] })
  t.equal(result.status, 'unknown')
  t.equal(result.reason, 'error')
  t.equal(
    result.message,
    'VDT_ERR_CHECK_HTTP_INVALID_CONFIG: Invalid http check config: url must be http: or https:, got ftp:; expectedStatus range "299-200" ends before it starts'
  )
})

t.test('reuseConnection keeps one connection across runs and reports only ttfb/transfer', async (t) => {
  const { base, connections: count } = await serve(t, (_req, res) => res.end('ok'))
  const first = await runCheckInline(httpCheck, { url: `${base}/a`, reuseConnection: true })
  // undici hands the socket back to its pool just after the response ends; runs are seconds apart in practice.
  await new Promise((r) => setTimeout(r, 20))
  const second = await runCheckInline(httpCheck, { url: `${base}/b`, reuseConnection: true })
  t.equal(first.status, 'up', String(first.message))
  t.equal(second.status, 'up', String(second.message))
  t.equal(count(), 1, 'the second run reused the first run’s connection')
  t.notOk('connect' in (second.phases ?? {}), 'no connect phase in reuse mode')
  t.type(second.phases?.ttfb, 'number')
  t.type(second.phases?.transfer, 'number')
  const fresh = await runCheckInline(httpCheck, { url: `${base}/c` })
  t.equal(fresh.status, 'up')
  t.equal(count(), 2, 'the default opens a connection of its own')
})

t.test('reuseConnection still honours the deadline', async (t) => {
  const { base } = await serve(t, () => {
    /* never answers */
  })
  // Aborted well before the 5 s deadline: only the check's own message proves it stopped waiting.
  const result = await runCheckInline(httpCheck, { url: `${base}/hang`, reuseConnection: true }, { timeoutMs: 5000, signal: AbortSignal.timeout(300) })
  t.equal(result.status, 'down')
  t.equal(result.message, 'timed out after 5000 ms (ttfb phase)')
})
