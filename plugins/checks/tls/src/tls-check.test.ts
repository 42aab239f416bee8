import { createServer } from 'node:net'
import t from 'tap'
import { assertObservationsDeclared, closedPort, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { tlsCheck } from './index.js'
import { listen, plugin, serveTls } from './test-support.test.util.js'

const DAY_MS = 86_400_000
const localhost = selfSignedCertificate()

t.test('a certificate expiring in 5 days, with minDaysUntilExpiry 14', async (t) => {
  const expiring = selfSignedCertificate({ days: 5 })
  const port = await serveTls(t, expiring.key, expiring.cert)
  const ok = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: expiring.cert })
  t.equal(ok.status, 'up', String(ok.message))
  const days = ok.observations?.daysUntilExpiry as number
  t.ok(Math.abs(days - 5) < 0.01, `daysUntilExpiry ≈ 5 (${days})`)
  t.equal(ok.observations?.notAfter, expiring.notAfter.toISOString())
  t.equal(ok.observations?.certNotAfter, expiring.notAfter.toISOString(), 'certNotAfter for the cert-expiry metric')
  t.equal(ok.observations?.notBefore, expiring.notBefore.toISOString())
  t.match(ok.message, /^certificate of 127\.0\.0\.1:\d+ \(localhost\) valid for 5\.0 days, until /)

  const soon = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: expiring.cert, minDaysUntilExpiry: 14 })
  t.equal(soon.status, 'down')
  t.match(soon.message, /^certificate of 127\.0\.0\.1:\d+ expires in 5\.0 days \(.+\), under minDaysUntilExpiry 14$/)
  t.match(soon.observations, { chainTrusted: true, hostnameVerified: true })
})

t.test('an expired certificate is down even when trust is not required', async (t) => {
  const expired = selfSignedCertificate({ notBefore: new Date(Date.now() - 10 * DAY_MS), days: 7 })
  const port = await serveTls(t, expired.key, expired.cert)
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: expired.cert })
  t.equal(result.status, 'down')
  t.match(result.message, /expired 3\.0 days ago/)
  t.notMatch(result.message, /chain not trusted/, 'CERT_HAS_EXPIRED is not reported twice')
  t.match(result.observations, { chainTrusted: false, trustError: 'CERT_HAS_EXPIRED' })
  t.ok((result.observations?.daysUntilExpiry as number) < -2.9)
  const lax = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, requireTrusted: false })
  t.equal(lax.status, 'down')
})

t.test('self-signed: down by default, up with requireTrusted false or with ca', async (t) => {
  const port = await serveTls(t, localhost.key, localhost.cert)
  const strict = await runCheckInline(tlsCheck, { host: '127.0.0.1', port })
  t.equal(strict.status, 'down')
  t.match(strict.message, /chain not trusted: DEPTH_ZERO_SELF_SIGNED_CERT \(set ca to trust/)
  t.match(strict.observations, { selfSigned: true, chainTrusted: false, hostnameVerified: true, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })

  const lax = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, requireTrusted: false })
  t.equal(lax.status, 'up', String(lax.message))
  t.match(lax.observations, { selfSigned: true, chainTrusted: false })

  const pinned = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: localhost.cert })
  t.equal(pinned.status, 'up', String(pinned.message))
  t.match(pinned.observations, { selfSigned: true, chainTrusted: true })
  t.notOk('trustError' in (pinned.observations ?? {}))
})

t.test('a certificate for another name: hostnameVerified false, down', async (t) => {
  const elsewhere = selfSignedCertificate({ commonName: 'shop.example', altNames: ['shop.example', '*.cdn.example'] })
  const port = await serveTls(t, elsewhere.key, elsewhere.cert)
  const byIp = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: elsewhere.cert })
  t.equal(byIp.status, 'down')
  t.match(byIp.observations, { hostnameVerified: false, chainTrusted: true, sans: ['shop.example', '*.cdn.example'], subject: 'shop.example' })
  t.match(byIp.message, /not valid for 127\.0\.0\.1: .*IP: 127\.0\.0\.1 is not in the cert's list/)
  t.match(byIp.observations?.hostnameError, /127\.0\.0\.1/)

  const named = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: elsewhere.cert, servername: 'shop.example' })
  t.equal(named.status, 'up', String(named.message))
  t.equal(named.observations?.hostnameVerified, true)
  const wildcard = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: elsewhere.cert, servername: 'img.cdn.example' })
  t.equal(wildcard.observations?.hostnameVerified, true, 'wildcard SAN')
  const lax = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, ca: elsewhere.cert, servername: 'other.example', requireHostname: false })
  t.equal(lax.status, 'up', String(lax.message))
  t.equal(lax.observations?.hostnameVerified, false)
})

t.test('key, signature, names, session and chain facts', async (t) => {
  const port = await serveTls(t, localhost.key, localhost.cert)
  const result = await runCheckInline(tlsCheck, { host: 'localhost', port, ca: localhost.cert })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.observations, {
    keyType: 'RSA',
    keyBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    subject: 'localhost',
    subjectFull: { CN: 'localhost' },
    issuer: 'localhost',
    issuerFull: { CN: 'localhost' },
    sans: ['localhost', '127.0.0.1'],
    tlsVersion: /^TLSv1\.[23]$/,
    cipher: /^[A-Z0-9_-]+$/,
    remoteAddress: /^(127\.0\.0\.1|::1)$/,
    serialNumber: /^[0-9A-F]+$/,
    fingerprint256: /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/
  })
  t.same(result.observations?.chain, [{ subject: 'localhost', issuer: 'localhost', notAfter: localhost.notAfter.toISOString() }])
  t.ok((result.phases?.connect as number) > 0 && (result.phases?.tls as number) > 0, 'connect and tls phases')
  t.notOk('starttls' in (result.phases ?? {}))
})

t.test('a closed port is down in the connect phase', async (t) => {
  const port = await closedPort()
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port })
  t.equal(result.status, 'down')
  t.equal(result.message, `connection refused by 127.0.0.1:${port}`)
  t.same(result.observations, { failedPhase: 'connect', errorCode: 'ECONNREFUSED' })
})

t.test('a server that never handshakes: timeout, and the socket is closed', async (t) => {
  let closed = false
  // resume: a paused socket never reads the client's FIN, so never closes.
  const port = await listen(t, createServer((socket) => socket.resume().on('close', () => (closed = true))))
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port }, { timeoutMs: 300 })
  t.equal(result.status, 'down')
  t.equal(result.reason, 'timeout')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(closed, 'connection closed on abort')
})

t.test('a plain-text server is a TLS handshake failure', async (t) => {
  const port = await listen(t, createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')))
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port })
  t.equal(result.status, 'down')
  t.match(result.message, new RegExp(`^(TLS handshake with 127\\.0\\.0\\.1:${port} failed: |127\\.0\\.0\\.1:${port} closed the connection during the tls stage)`))
  t.equal(result.observations?.failedPhase, 'tls')
})

t.test('through the real worker', async (t) => {
  const port = await serveTls(t, localhost.key, localhost.cert)
  const [trusted, untrusted] = await Promise.all([
    runCheck(plugin, { host: 'localhost', port, ca: localhost.cert, minDaysUntilExpiry: 1 }),
    runCheck(plugin, { host: 'localhost', port })
  ])
  t.equal(trusted.status, 'up', String(trusted.message))
  t.match(trusted.observations, { chainTrusted: true, hostnameVerified: true, keyType: 'RSA', selfSigned: true })
  t.ok(Array.isArray(trusted.observations?.chain))
  assertObservationsDeclared(t, plugin, trusted.observations)
  t.equal(untrusted.status, 'down')
  assertObservationsDeclared(t, plugin, untrusted.observations)
})
