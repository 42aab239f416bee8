import { createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import type { NotifierInstance } from '@vedette/sdk'
import { alertFixture, assertConfigRefused, assertNotifierSchema, closedPort, groupedFixture, notificationFixture, notifierChannel, notifierContext, resolvedFixture, selfSignedCertificate } from '@vedette/sdk/testing'
import type { RefusedConfig } from '@vedette/sdk/testing'
import email, { EMAIL_DEFAULTS, incidentRoot } from './index.js'
import type { EmailNotifierConfig } from './index.js'
import { parseMail, smtpError, smtpServer } from './smtp.test.util.js'

const cert = selfSignedCertificate()
const base = { host: '127.0.0.1', from: '"Vedette" <alerts@vedette.example>', to: ['oncall@example.com', 'lead@example.com'] }
const PASS = 'app-pass-7f3e9c21'

const channel = (t: Test, config: EmailNotifierConfig) => notifierChannel(t, email, config)
const send = (instance: NotifierInstance, n = notificationFixture()) => instance.send(n, new AbortController().signal)

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { required: ['host', 'from', 'to'], defaults: EMAIL_DEFAULTS })
})

t.test('plain SMTP: one message, HTML and text, threading headers', async (t) => {
  const { port, mails } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'] })
  const instance = await channel(t, { ...base, port })
  const n = notificationFixture({ text: 'API health 1 is down: <script>alert(1)</script> & "more"\nsecond line' })
  const report = await send(instance, n)
  t.match(report, { ok: true, status: 250 })
  t.match(report.message, new RegExp(`^127\\.0\\.0\\.1:${port} accepted the message for 2 recipients: 250 `))
  t.equal(mails.length, 1)
  const mail = mails[0]!
  t.equal(mail.from, 'alerts@vedette.example')
  t.same(mail.to, ['oncall@example.com', 'lead@example.com'])
  t.equal(mail.secure, false)

  const { headers, parts } = parseMail(mail.raw)
  t.equal(headers.get('from'), 'Vedette <alerts@vedette.example>')
  t.equal(headers.get('to'), 'oncall@example.com, lead@example.com')
  t.equal(headers.get('subject'), '[Vedette] [critical] API health 1 is down')
  t.match(headers.get('message-id'), /^<vedette\.[0-9a-f]{32}@vedette\.example>$/)
  const root = incidentRoot(alertFixture(), 'vedette.example')
  t.equal(headers.get('in-reply-to'), root)
  t.equal(headers.get('references'), root)
  t.equal(headers.get('auto-submitted'), 'auto-generated')
  t.equal(headers.get('x-vedette-event'), 'firing')
  t.equal(headers.get('x-vedette-idempotency-key'), 'idem-1')
  t.equal(new Date(headers.get('date')!).getTime(), n.createdAt)
  t.match(headers.get('content-type'), /^multipart\/alternative; boundary=/)
  t.equal(parts.get('text/plain'), n.text)
  const html = parts.get('text/html')!
  t.match(html, /^<!doctype html>/)
  t.ok(html.includes('API health 1 is down: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;<br>\nsecond line'), 'text escaped into HTML')
  t.notOk(html.includes('<script>'))
})

t.test('a retry is the same message; the resolution threads under the incident', async (t) => {
  const { port, mails } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'] })
  const instance = await channel(t, { ...base, port, subjectPrefix: '' })
  await send(instance)
  await send(instance)
  t.equal((await send(instance, resolvedFixture())).ok, true)
  const [first, retry, resolved] = mails.map((m) => parseMail(m.raw).headers)
  t.equal(retry!.get('message-id'), first!.get('message-id'), 'same idempotency key, same Message-ID')
  t.not(resolved!.get('message-id'), first!.get('message-id'))
  t.equal(resolved!.get('references'), first!.get('references'), 'same thread root')
  t.equal(resolved!.get('subject'), 'API health 1 recovered', 'empty prefix')
  t.equal(resolved!.get('x-vedette-event'), 'resolved')
})

t.test('the rendered HTML is sent as is; grouped alerts reference every incident', async (t) => {
  const { port, mails } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'] })
  const instance = await channel(t, { ...base, port })
  const n = { ...groupedFixture(3), html: '<h1>3 alerts</h1><ul><li>API health 1</li></ul>' }
  t.equal((await send(instance, n)).ok, true)
  const { headers, parts } = parseMail(mails[0]!.raw)
  t.equal(parts.get('text/html'), '<h1>3 alerts</h1><ul><li>API health 1</li></ul>')
  t.equal(parts.get('text/plain'), n.text)
  t.equal(headers.get('references'), n.alerts.map((a) => incidentRoot(a, 'vedette.example')).join(' '))
  t.equal(mails.length, 1, 'one message for the group')
})

t.test('a test notification without alerts has no thread headers', async (t) => {
  const { port, mails } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'] })
  const instance = await channel(t, { ...base, port })
  const report = await send(instance, notificationFixture({ event: 'test', severity: 'info', title: 'Test from Vedette', text: 'It works.', alerts: [] }))
  t.equal(report.ok, true)
  const { headers } = parseMail(mails[0]!.raw)
  t.equal(headers.get('subject'), '[Vedette] Test from Vedette')
  t.notOk(headers.has('references') || headers.has('in-reply-to'))
})

t.test('STARTTLS with a self-signed certificate trusted through tls.ca', async (t) => {
  const { port, mails } = await smtpServer(t, { key: cert.key, cert: cert.cert, disabledCommands: ['AUTH'] })
  const instance = await channel(t, { ...base, port, requireTLS: true, tls: { ca: cert.cert } })
  const report = await send(instance)
  t.equal(report.ok, true, String(report.message))
  t.equal(mails[0]!.secure, true, 'the session was upgraded')
})

t.test('STARTTLS: rejectUnauthorized false accepts it; the default refuses it', async (t) => {
  const { port, mails } = await smtpServer(t, { key: cert.key, cert: cert.cert, disabledCommands: ['AUTH'] })
  const lax = await channel(t, { ...base, port, requireTLS: true, tls: { rejectUnauthorized: false } })
  t.equal((await send(lax)).ok, true)
  t.equal(mails[0]!.secure, true)
  const strict = await channel(t, { ...base, port, requireTLS: true })
  const report = await send(strict)
  t.equal(report.ok, false)
  t.equal(report.retryable, true)
  t.match(report.message, new RegExp(`^TLS certificate of 127\\.0\\.0\\.1:${port} rejected: self[- ]signed certificate \\(trust it with tls\\.ca`))
  t.equal(mails.length, 1, 'nothing sent over an untrusted connection')
})

t.test('requireTLS refuses a server that does not offer STARTTLS', async (t) => {
  const { port, mails } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'] })
  const report = await send(await channel(t, { ...base, port, requireTLS: true }))
  t.equal(report.ok, false)
  t.match(report.message, /STARTTLS/)
  t.equal(mails.length, 0)
})

t.test('implicit TLS (secure: true)', async (t) => {
  const { port, mails } = await smtpServer(t, { secure: true, key: cert.key, cert: cert.cert, disabledCommands: ['AUTH'] })
  const report = await send(await channel(t, { ...base, port, secure: true, tls: { ca: cert.cert } }))
  t.equal(report.ok, true, String(report.message))
  t.equal(mails[0]!.secure, true)
})

t.test('AUTH over STARTTLS: the right password sends, a wrong one is 535 and not retried', async (t) => {
  const { port, mails } = await smtpServer(t, {
    key: cert.key,
    cert: cert.cert,
    authOptional: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === PASS) callback(null, { user: 'alerts' })
      else callback(smtpError(535, '5.7.8 Authentication credentials invalid'))
    }
  })
  const good = await channel(t, { ...base, port, requireTLS: true, tls: { ca: cert.cert }, auth: { user: 'alerts', pass: PASS } })
  t.equal((await send(good)).ok, true)
  t.equal(mails[0]!.user, 'alerts')

  const wrong = await channel(t, { ...base, port, requireTLS: true, tls: { ca: cert.cert }, auth: { user: 'alerts', pass: 'not-the-password' } })
  const report = await send(wrong)
  t.match(report, { ok: false, status: 535, retryable: false })
  t.match(report.message, /535 5\.7\.8 Authentication credentials invalid/)
  t.notOk(JSON.stringify(report).includes('not-the-password'))

  const none = await channel(t, { ...base, port, requireTLS: true, tls: { ca: cert.cert } })
  t.match(await send(none), { ok: false, status: 530, retryable: false }, 'no credentials: the server requires them')
  t.equal(mails.length, 1)
})

t.test('SMTP replies: 5xx is permanent, 4xx is retried', async (t) => {
  const cases: Array<[string, Parameters<typeof smtpServer>[1], number, boolean, RegExp]> = [
    ['MAIL FROM 550', { onMailFrom: (_a, _s, cb) => cb(smtpError(550, '5.7.1 Sender not allowed')) }, 550, false, /refused MAIL FROM: 550 5\.7\.1 Sender not allowed/],
    ['RCPT TO 451', { onRcptTo: (_a, _s, cb) => cb(smtpError(451, '4.7.1 Greylisted, try again later')) }, 451, true, /refused RCPT TO: 451 4\.7\.1 Greylisted/],
    ['DATA 554', { onData: (s, _x, cb) => { s.resume(); s.on('end', () => cb(smtpError(554, '5.6.0 Message rejected as spam'))) } }, 554, false, /refused DATA: 554 5\.6\.0 Message rejected as spam/]
  ]
  for (const [name, options, status, retryable, message] of cases) {
    const { port } = await smtpServer(t, { disabledCommands: ['STARTTLS', 'AUTH'], ...options })
    const report = await send(await channel(t, { ...base, port }))
    t.match(report, { ok: false, status, retryable }, name)
    t.match(report.message, message, name)
  }
})

t.test('connection refused is retried', async (t) => {
  const port = await closedPort()
  const report = await send(await channel(t, { ...base, port }))
  t.same(report, { ok: false, status: 'ECONNREFUSED', message: `connection refused by 127.0.0.1:${port}`, retryable: true })
})

/** A TCP server that accepts and never sends the SMTP greeting. */
async function silentServer(t: Test, onConnection: () => void = () => {}): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    onConnection()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
}

t.test('a server that never greets: the engine signal aborts at once', async (t) => {
  const controller = new AbortController()
  const port = await silentServer(t, () => setImmediate(() => controller.abort()))
  const instance = await channel(t, { ...base, port, timeout: '1m' })
  const report = await instance.send(notificationFixture(), controller.signal)
  t.same(report, { ok: false, status: 'aborted', message: `delivery to 127.0.0.1:${port} aborted before a response arrived`, retryable: true })
})

t.test('a server that never greets: the timeout ends the attempt', async (t) => {
  const port = await silentServer(t)
  const report = await send(await channel(t, { ...base, port, timeout: '300ms' }))
  t.same(report, { ok: false, status: 'timeout', message: `no answer from 127.0.0.1:${port} within 300ms`, retryable: true })
})

t.test('create refuses a config it cannot use', async (t) => {
  const bad: RefusedConfig[] = [
    [{ ...base, host: '' }, /host is required/],
    [{ ...base, from: 'not an address' }, /from must be one email address/],
    [{ ...base, from: 'a@example.com, b@example.com' }, /from must be one email address/],
    [{ ...base, to: [] }, /to must list at least one address/],
    [{ ...base, to: ['oncall'] }, /"oncall" is not an email address/],
    [{ ...base, port: 0 }, /port must be an integer/],
    [{ ...base, tls: { ca: '/etc/ssl/ca.pem' } }, /tls\.ca must be PEM text/],
    [{ ...base, auth: { user: 'x' } }, /auth needs a user and a pass/],
    [{ ...base, timeout: '30' }, /timeout must be a duration/]
  ]
  await assertConfigRefused(t, (config) => email.create(config as EmailNotifierConfig, notifierContext()), bad, { code: 'VDT_ERR_NOTIFIER_EMAIL_INVALID_CONFIG' })
})
