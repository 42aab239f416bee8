import { createSecureServer } from 'node:http2'
import type { Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

const { key, cert } = selfSignedCertificate()

t.test('http2: true negotiates HTTP/2 with a server that offers it; httpVersion says which was spoken', async (t) => {
  const { base } = await serve(t, (req, res) => res.end(`server saw ${req.httpVersion}`), createSecureServer({ key, cert, allowHTTP1: true }) as unknown as Server)
  const h2 = await runCheck(plugin, { url: `${base}/`, tls: { ca: cert }, http2: true, captureBody: true })
  t.equal(h2.status, 'up', String(h2.message))
  t.match(h2.observations, { httpVersion: '2.0', body: 'server saw 2.0', statusCode: 200 })
  t.ok((h2.phases?.tls as number) > 0, 'phases still measured over HTTP/2')
  assertObservationsDeclared(t, plugin, h2.observations)
  const h1 = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: cert }, captureBody: true })
  t.match(h1.observations, { httpVersion: '1.1', body: 'server saw 1.1' }, 'without http2 the same server speaks HTTP/1.1')
})

t.test('http2: true falls back to HTTP/1.1 when the server has no h2', async (t) => {
  const { createServer } = await import('node:https')
  const { base } = await serve(t, (req, res) => res.end(req.httpVersion), createServer({ key, cert }) as unknown as Server)
  const result = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: cert }, http2: true })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.observations?.httpVersion, '1.1')
})

t.test('an HTTP/1.0 status line is reported as 1.0', async (t) => {
  const server = createTcpServer((socket) => {
    socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nold school'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const { port } = server.address() as AddressInfo
  const result = await runCheckInline(httpCheck, { url: `http://127.0.0.1:${port}/`, captureBody: true })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.observations, { httpVersion: '1.0', body: 'old school', statusCode: 200 })
})

t.test('reuseConnection with http2 reports the version its pool negotiated', async (t) => {
  const { base, connections } = await serve(t, (_req, res) => res.end('ok'), createSecureServer({ key, cert, allowHTTP1: true }) as unknown as Server)
  const first = await runCheckInline(httpCheck, { url: `${base}/a`, tls: { ca: cert }, http2: true, reuseConnection: true })
  const second = await runCheckInline(httpCheck, { url: `${base}/b`, tls: { ca: cert }, http2: true, reuseConnection: true })
  t.equal(first.status, 'up', String(first.message))
  t.equal(second.observations?.httpVersion, '2.0')
  t.equal(connections(), 1, 'one multiplexed connection')
})
