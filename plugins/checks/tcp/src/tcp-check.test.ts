import type { Socket } from 'node:net'
import t from 'tap'
import { assertObservationsDeclared, closedPort, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { tcpCheck } from './index.js'
import { plugin, serveTcp } from './test-support.test.util.js'

/** An SMTP-like banner, then an echo of each chunk received; never closes by itself. */
function bannerEcho(socket: Socket): void {
  socket.write('220 vedette.test ready\r\n')
  socket.on('data', (chunk) => socket.write(`echo: ${chunk.toString()}`))
}

t.test('connect only: up once connected', async (t) => {
  let accepted = 0
  const port = await serveTcp(t, () => accepted++)
  const result = await runCheck(plugin, { host: '127.0.0.1', port })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, `connected to 127.0.0.1:${port}`)
  t.ok((result.phases?.connect as number) > 0, 'connect measured')
  t.equal(result.phases?.dns, 0, 'no lookup for an IP')
  t.notOk('tls' in (result.phases ?? {}))
  t.notOk('expect' in (result.phases ?? {}))
  t.same(result.observations, { connected: true, remoteAddress: '127.0.0.1' })
  t.equal(accepted, 1)
})

t.test('send and expect: up when the reply contains it', async (t) => {
  const port = await serveTcp(t, bannerEcho)
  const result = await runCheck(plugin, { host: '127.0.0.1', port, send: 'PING\r\n', expect: 'echo: PING' })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, `127.0.0.1:${port} answered "echo: PING"`)
  t.match(result.observations, { connected: true, response: /^220 vedette\.test ready\r\n(echo: PING\r\n)?/ })
  t.type(result.phases?.expect, 'number')
})

t.test('a hostname is resolved', async (t) => {
  const port = await serveTcp(t, bannerEcho)
  const result = await runCheckInline(tcpCheck, { host: 'localhost', port, expect: '220 ' })
  t.equal(result.status, 'up', String(result.message))
  t.ok((result.phases?.dns as number) > 0)
})

t.test('expect mismatch: down at the deadline, saying what arrived', async (t) => {
  const port = await serveTcp(t, bannerEcho)
  const started = Date.now()
  const result = await runCheck(plugin, { host: '127.0.0.1', port, expect: 'SSH-2.0' }, { timeoutMs: 600 })
  t.equal(result.status, 'down')
  t.match(result.message, /^expected "SSH-2\.0" not received within \d+ ms; got "220 vedette\.test ready\\r\\n"$/)
  t.notOk(result.reason, 'decided by the check, not by the runtime timeout')
  t.equal(result.observations?.response, '220 vedette.test ready\r\n')
  t.equal(result.observations?.responseBytes, 24)
  t.ok(Date.now() - started < 3000)
})

t.test('expect mismatch: down when the peer closes', async (t) => {
  const port = await serveTcp(t, (socket) => socket.end('HTTP/1.0 400 Bad Request\r\n\r\n'))
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, expect: '220' })
  t.equal(result.status, 'down')
  t.equal(result.message, `expected "220" not received: 127.0.0.1:${port} closed the connection after sending "HTTP/1.0 400 Bad Request\\r\\n\\r\\n"`)
  const silent = await serveTcp(t, (socket) => socket.end())
  const nothing = await runCheckInline(tcpCheck, { host: '127.0.0.1', port: silent, expect: '220' })
  t.match(nothing.message, /closed the connection after sending nothing$/)
})

t.test('expectRegex', async (t) => {
  const port = await serveTcp(t, bannerEcho)
  const up = await runCheck(plugin, { host: '127.0.0.1', port, expectRegex: '^220 [a-z.]+ ready' })
  t.equal(up.status, 'up', String(up.message))
  t.equal(up.message, `127.0.0.1:${port} answered /^220 [a-z.]+ ready/`)
  const down = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, expectRegex: '^5\\d\\d ' }, { timeoutMs: 400 })
  t.equal(down.status, 'down')
  t.match(down.message, /^expected \/\^5\\d\\d \/ not received within/)
})

t.test('a match split across chunks and UTF-8 sequences', async (t) => {
  const port = await serveTcp(t, (socket) => {
    const bytes = Buffer.from('status: café ok\n')
    socket.write(bytes.subarray(0, 12)) // ends inside the two-byte "é"
    setTimeout(() => socket.write(bytes.subarray(12)), 30)
  })
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, expect: 'café ok' })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.observations?.response, 'status: café ok\n')
})

t.test('maxReadBytes: stops reading and is down without a match', async (t) => {
  const port = await serveTcp(t, (socket) => {
    const timer = setInterval(() => socket.write('x'.repeat(1000)), 1)
    socket.on('close', () => clearInterval(timer))
  })
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, expect: 'never', maxReadBytes: 5000 })
  t.equal(result.status, 'down')
  t.match(result.message, /^expected "never" not received in the first 5000 bytes \(maxReadBytes\); got "x{120}"…$/)
  t.equal(result.observations?.responseBytes, 5000)
  t.equal((result.observations?.response as string).length, 1024, 'response observation trimmed to 1 KiB')
})

t.test('send without expect: up once written, and the server gets it', async (t) => {
  let received!: (data: string) => void
  const got = new Promise<string>((resolve) => (received = resolve))
  const port = await serveTcp(t, (socket) => socket.on('data', (d) => received(d.toString())))
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, send: 'QUIT\r\n' })
  t.equal(result.status, 'up', String(result.message))
  t.equal(await got, 'QUIT\r\n')
  t.same(result.observations, { connected: true, remoteAddress: '127.0.0.1' })
})

t.test('connection refused is down', async (t) => {
  const port = await closedPort()
  const result = await runCheck(plugin, { host: '127.0.0.1', port, expect: 'x' })
  t.equal(result.status, 'down')
  t.equal(result.message, `connection refused by 127.0.0.1:${port}`)
  t.match(result.observations, { connected: false, failedPhase: 'connect', errorCode: 'ECONNREFUSED' })
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('aborting the signal closes the connection', async (t) => {
  let closed!: () => void
  const socketClosed = new Promise<void>((resolve) => (closed = resolve))
  const port = await serveTcp(t, (socket) => socket.on('close', closed))
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error('deadline')), 100)
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, expect: 'never' }, { timeoutMs: 5000, signal: controller.signal })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  t.equal(result.message, 'timed out after 5000 ms (expect stage)')
  await socketClosed // never settles (the test times out) if the socket stayed open
  t.pass('server saw the close')
})

t.test('a config that cannot run is unknown', async (t) => {
  const result = await runCheck(plugin, { host: '127.0.0.1', port: 1, expect: 'a', expectRegex: '(' })
  t.equal(result.status, 'unknown')
  t.equal(result.message, 'VDT_ERR_CHECK_TCP_INVALID_CONFIG: Invalid tcp check config: set expect or expectRegex, not both')
})
