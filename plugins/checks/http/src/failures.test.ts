import t from 'tap'
import { assertObservationsDeclared, closedPort, runCheck, runCheckInline } from '@vedette/sdk/testing'
import httpCheck from './index.js'
import { plugin, serve } from './test-support.test.util.js'

t.test('connection refused is down', async (t) => {
  const port = await closedPort()
  const result = await runCheck(plugin, { url: `http://127.0.0.1:${port}/` })
  t.equal(result.status, 'down')
  t.equal(result.message, `connection refused by 127.0.0.1:${port}`)
  t.match(result.observations, { failedPhase: 'connect', errorCode: 'ECONNREFUSED', redirects: 0 })
  t.notOk(result.observations && 'statusCode' in result.observations)
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a server that closes without answering is down', async (t) => {
  const { base } = await serve(t, (req) => req.socket.destroy())
  const result = await runCheckInline(httpCheck, { url: base })
  t.equal(result.status, 'down')
  t.equal(result.message, '127.0.0.1:' + new URL(base).port + ' closed the connection before sending response headers')
  t.match(result.observations, { failedPhase: 'ttfb', errorCode: 'UND_ERR_SOCKET' })
})

t.test('a slow server beyond timeoutMs is down with the runtime timeout', async (t) => {
  const { base } = await serve(t, () => {}) // never answers
  const started = Date.now()
  const result = await runCheck(plugin, { url: base }, { timeoutMs: 300 })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  t.match(result.message, /300 ms/)
  t.ok(Date.now() - started < 3000, 'returned soon after the deadline')
})

t.test('aborting the signal stops the run and closes its connection', async (t) => {
  let closed!: () => void
  const socketClosed = new Promise<void>((resolve) => (closed = resolve))
  const { base } = await serve(t, (req) => req.socket.on('close', closed))
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error('deadline')), 100)
  const outcome = await httpCheck.run({
    monitor: { tenantId: 't', id: 'm', name: 'm', tags: [] },
    config: { url: base },
    signal: controller.signal,
    timeoutMs: 100,
    deadline: Date.now() + 100
  })
  t.equal(outcome.status, 'down')
  t.equal(outcome.reason, 'timeout')
  t.equal(outcome.message, 'timed out after 100 ms (ttfb phase)')
  t.ok((outcome.phases?.ttfb as number) >= 50, 'time spent waiting is charged to ttfb')
  await socketClosed // never settles (and the test times out) if the socket were left open
  t.pass('server saw the connection close')
})

t.test('an already aborted signal does not connect', async (t) => {
  const { base, connections } = await serve(t, (_req, res) => res.end())
  const outcome = await httpCheck.run({
    monitor: { tenantId: 't', id: 'm', name: 'm', tags: [] },
    config: { url: base },
    signal: AbortSignal.abort(new Error('late')),
    timeoutMs: 100,
    deadline: Date.now()
  })
  t.equal(outcome.status, 'down')
  t.equal(outcome.reason, 'timeout')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(connections(), 0)
})

t.test('maxBodyBytes: a declared or streamed oversize body is down', async (t) => {
  const { base } = await serve(t, (req, res) => {
    if (req.url === '/declared') {
      res.setHeader('content-length', '2048')
      res.end(Buffer.alloc(2048, 'a'))
      return
    }
    // No length, and it keeps streaming: the check must stop reading by itself.
    const chunk = Buffer.alloc(512, 'b')
    const timer = setInterval(() => res.write(chunk), 1)
    res.on('close', () => clearInterval(timer))
  })
  const streamed = await runCheck(plugin, { url: `${base}/stream`, maxBodyBytes: 4096 })
  t.equal(streamed.status, 'down')
  t.equal(streamed.message, 'response body exceeds maxBodyBytes (4096 bytes)')
  t.ok((streamed.observations?.responseBytes as number) > 4096, 'stopped just past the limit')
  t.ok((streamed.observations?.responseBytes as number) < 64 * 1024, 'did not keep reading')
  const declared = await runCheckInline(httpCheck, { url: `${base}/declared`, maxBodyBytes: 1000 })
  t.equal(declared.status, 'down')
  t.equal(declared.message, 'response body exceeds maxBodyBytes (1000 bytes)')
  t.match(declared.observations, { statusCode: 200, responseBytes: 0 }, 'refused before reading')
  const fits = await runCheckInline(httpCheck, { url: `${base}/declared`, maxBodyBytes: 2048 })
  t.equal(fits.status, 'up', 'a body exactly at the limit is fine')
})

t.test('a truncated body is down', async (t) => {
  const { base } = await serve(t, (req, res) => {
    res.setHeader('content-length', '100')
    res.write('only part')
    setTimeout(() => req.socket.destroy(), 20)
  })
  const result = await runCheckInline(httpCheck, { url: base })
  t.equal(result.status, 'down')
  t.match(result.message, /closed the connection in the middle of the response body|does not match its content-length/)
  t.equal(result.observations?.failedPhase, 'transfer')
})
