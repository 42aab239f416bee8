import { createServer } from 'node:https'
import type { Server } from 'node:http'
import type { TLSSocket } from 'node:tls'
import t from 'tap'
import type { Test } from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { httpCheck, validateHttpConfig } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

const server = selfSignedCertificate()
const client = selfSignedCertificate({ commonName: 'vedette-prober', altNames: [] })
const stranger = selfSignedCertificate({ commonName: 'stranger', altNames: [] })

/** An HTTPS server that only talks to clients presenting a certificate `client` signed. */
async function mtlsServer(t: Test, maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3'): Promise<{ base: string; port: number; peers: string[] }> {
  const peers: string[] = []
  const https = createServer({ key: server.key, cert: server.cert, ca: client.cert, requestCert: true, rejectUnauthorized: true, maxVersion })
  const { base, port } = await serve(
    t,
    (req, res) => {
      peers.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN))
      res.end('hello prober')
    },
    https as unknown as Server
  )
  return { base, port, peers }
}

t.test('mTLS: up with the client certificate, down with a clear message without it', async (t) => {
  const { base, port, peers } = await mtlsServer(t)
  const withCert = await runCheck(plugin, { url: `${base}/`, tls: { ca: server.cert, cert: client.cert, key: client.key } })
  t.equal(withCert.status, 'up', String(withCert.message))
  t.same(peers, ['vedette-prober'], 'the server saw the prober’s certificate')
  t.match(withCert.observations, { chainTrusted: true, hostnameVerified: true, tlsAuthorized: true })
  assertObservationsDeclared(t, plugin, withCert.observations)

  const without = await runCheck(plugin, { url: `${base}/`, tls: { ca: server.cert } })
  t.equal(without.status, 'down')
  t.equal(without.message, `127.0.0.1:${port} requires a client certificate and none was sent: set tls.cert and tls.key (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)`)
  t.match(without.observations, { failedPhase: 'tls', errorCode: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' })

  const wrongCert = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert, cert: stranger.cert, key: stranger.key } })
  t.equal(wrongCert.status, 'down')
  // Node's TLS server closes without an alert when it refuses a client certificate; servers that send one get 'rejected the client certificate'.
  t.equal(wrongCert.message, `127.0.0.1:${port} closed the connection before sending response headers (it may have refused the client certificate)`)
  t.equal(peers.length, 1, 'no request got through without a trusted certificate')
})

t.test('mTLS over TLS 1.2: the handshake fails, and the message says why it may have', async (t) => {
  const { base, port } = await mtlsServer(t, 'TLSv1.2')
  const withCert = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert, cert: client.cert, key: client.key } })
  t.equal(withCert.status, 'up', String(withCert.message))
  t.equal(withCert.observations?.tlsVersion, 'TLSv1.2')
  const without = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert } })
  t.equal(without.status, 'down')
  t.match(without.message, new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${port} failed: .*handshake failure.*set tls\\.cert and tls\\.key\\)$`))
  t.equal(without.observations?.failedPhase, 'tls')
})

t.test('tls.ca trusts a private CA: down without it, up with it, as PEM text or a file path', async (t) => {
  const { base } = await serve(t, (_req, res) => res.end('ok'), createServer({ key: server.key, cert: server.cert }) as unknown as Server)
  const untrusted = await runCheckInline(httpCheck, { url: `${base}/` })
  t.equal(untrusted.status, 'down')
  t.match(untrusted.message, /rejected: self-signed certificate .*set tls\.ca to trust its issuer/)
  const inline = await runCheck(plugin, { url: `${base}/`, tls: { ca: server.cert } })
  t.equal(inline.status, 'up', String(inline.message))
  t.match(inline.observations, { chainTrusted: true, hostnameVerified: true, certSelfSigned: true })
  const fromFile = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.certPath } })
  t.equal(fromFile.status, 'up', String(fromFile.message))
  const otherCa = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: stranger.cert } })
  t.equal(otherCa.status, 'down', 'a CA that did not issue the certificate does not help')
})

t.test('client certificate and key from files, an encrypted key with its passphrase', async (t) => {
  const { base, peers } = await mtlsServer(t)
  const files = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.certPath, cert: client.certPath, key: client.keyPath } })
  t.equal(files.status, 'up', String(files.message))
  const { createPrivateKey } = await import('node:crypto')
  const encrypted = createPrivateKey(client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 's3cret-pass' }) as string
  const withPass = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert, cert: client.cert, key: encrypted, passphrase: 's3cret-pass' } })
  t.equal(withPass.status, 'up', String(withPass.message))
  const badPass = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert, cert: client.cert, key: encrypted, passphrase: 'wrong-pass' } })
  t.equal(badPass.status, 'unknown', 'a key that cannot be loaded is a config error')
  t.match(badPass.message, /^VDT_ERR_CHECK_HTTP_INVALID_CONFIG: .*tls\.cert\/tls\.key could not be loaded/)
  t.notOk(JSON.stringify(badPass).includes('wrong-pass'), 'the passphrase is not echoed')
  t.same(peers, ['vedette-prober', 'vedette-prober'])
})

t.test('tls config problems are found at validation, naming fields and paths but never PEM text', async (t) => {
  t.same(validateHttpConfig({ url: 'https://x/', tls: { ca: 'certs/ca.pem' } }), [
    'tls.ca must be PEM text (-----BEGIN ...) or an absolute path to a PEM file'
  ])
  t.same(validateHttpConfig({ url: 'https://x/', tls: { ca: '/nonexistent/ca.pem' } }), ['tls.ca file /nonexistent/ca.pem cannot be read: ENOENT'])
  t.same(validateHttpConfig({ url: 'https://x/', tls: { cert: client.cert } }), ['tls.cert and tls.key must be given together'])
  t.same(validateHttpConfig({ url: 'https://x/', tls: { cert: client.cert, key: stranger.key } }), [
    'tls.cert/tls.key could not be loaded: error:05800074:x509 certificate routines::key values mismatch'
  ])
  t.same(validateHttpConfig({ url: 'https://x/', tls: { servername: '10.0.0.1' } }), ['tls.servername must be a host name (SNI cannot carry an IP address)'])
  t.same(validateHttpConfig({ url: 'https://x/', tls: { minVersion: 'SSLv3' as 'TLSv1.2' } }), ['tls.minVersion must be one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3'])
  const problems = validateHttpConfig({ url: 'https://x/', tls: { cert: client.cert, key: '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----' } })
  t.equal(problems.length, 1)
  t.notOk(problems[0]?.includes('not base64'), `no key text in: ${problems[0]}`)
})

t.test('tls.minVersion refuses an older server', async (t) => {
  const old = createServer({ key: server.key, cert: server.cert, maxVersion: 'TLSv1.2' })
  const { base } = await serve(t, (_req, res) => res.end('ok'), old as unknown as Server)
  const result = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: server.cert, minVersion: 'TLSv1.3' } })
  t.equal(result.status, 'down')
  t.equal(result.observations?.failedPhase, 'tls')
  t.match(result.message, /^TLS handshake with 127\.0\.0\.1:\d+ failed: /)
})
