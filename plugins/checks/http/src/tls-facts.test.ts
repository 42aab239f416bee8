import { createServer } from 'node:https'
import type { Server } from 'node:http'
import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

function httpsServer(cert: { key: string; cert: string }): Server {
  return createServer({ key: cert.key, cert: cert.cert }) as unknown as Server
}

t.test('every TLS fact of a certificate expiring in 5 days', async (t) => {
  const soon = selfSignedCertificate({ days: 5 })
  const { base } = await serve(t, (_req, res) => res.end('ok'), httpsServer(soon))
  const result = await runCheck(plugin, { url: `${base}/`, tlsVerify: false }, { assertions: ['tls.daysUntilExpiry > 14 warning'] })
  t.equal(result.status, 'degraded', 'the expiry assertion warns')
  const { assertions: _judged, ...o } = result.observations ?? {}
  t.ok(Math.abs((o.daysUntilExpiry as number) - 5) < 0.01, `daysUntilExpiry ${o.daysUntilExpiry}`)
  t.match(o, {
    tlsVersion: 'TLSv1.3',
    tlsCipher: /^TLS_/,
    certNotAfter: soon.notAfter.toISOString(),
    certSubject: 'localhost',
    certIssuer: 'localhost',
    certSans: ['localhost', '127.0.0.1'],
    certKeyType: 'RSA',
    certKeyBits: 2048,
    certSignatureAlgorithm: 'sha256WithRSAEncryption',
    certSelfSigned: true,
    chainTrusted: false,
    hostnameVerified: true,
    tlsAuthorized: false
  })
  assertObservationsDeclared(t, plugin, o)
})

t.test('a self-signed certificate: untrusted without tls.ca, trusted with it', async (t) => {
  const self = selfSignedCertificate()
  const { base } = await serve(t, (_req, res) => res.end('ok'), httpsServer(self))
  const verified = await runCheckInline(httpCheck, { url: `${base}/` })
  t.equal(verified.status, 'down')
  t.match(verified.observations, { failedPhase: 'tls', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
  const accepted = await runCheckInline(httpCheck, { url: `${base}/`, tlsVerify: false })
  t.match(accepted.observations, { certSelfSigned: true, chainTrusted: false, hostnameVerified: true })
  const trusted = await runCheckInline(httpCheck, { url: `${base}/`, tls: { ca: self.cert } })
  t.equal(trusted.status, 'up', String(trusted.message))
  t.match(trusted.observations, { certSelfSigned: true, chainTrusted: true, hostnameVerified: true, tlsAuthorized: true })
})

t.test('a certificate for another name: hostnameVerified false, and down with tlsVerify on', async (t) => {
  const elsewhere = selfSignedCertificate({ commonName: 'shop.example', altNames: ['shop.example'] })
  const { port } = await serve(t, (_req, res) => res.end('ok'), httpsServer(elsewhere))
  const url = `https://localhost:${port}/`
  // Trusted chain, so the name is the only thing wrong.
  const verified = await runCheck(plugin, { url, tls: { ca: elsewhere.cert } })
  t.equal(verified.status, 'down')
  t.equal(
    verified.message,
    `TLS certificate of localhost:${port} rejected: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:shop.example (ERR_TLS_CERT_ALTNAME_INVALID) (set tls.servername to a name the certificate carries, or tlsVerify: false to accept it)`
  )
  t.match(verified.observations, { failedPhase: 'tls', errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID', chainTrusted: true, hostnameVerified: false, certSans: ['shop.example'] })
  t.notOk(verified.observations && 'statusCode' in verified.observations, 'no request was sent to the wrong server')
  assertObservationsDeclared(t, plugin, verified.observations)

  const unverified = await runCheckInline(httpCheck, { url, tlsVerify: false })
  t.equal(unverified.status, 'up', String(unverified.message))
  t.match(unverified.observations, { hostnameVerified: false, chainTrusted: false, tlsAuthorized: false })

  const byIp = await runCheckInline(httpCheck, { url: `https://127.0.0.1:${port}/`, tlsVerify: false })
  t.equal(byIp.observations?.hostnameVerified, false, 'an IP URL is checked against the IP SANs')

  const renamed = await runCheckInline(httpCheck, { url, tls: { ca: elsewhere.cert, servername: 'shop.example' } })
  t.equal(renamed.status, 'up', String(renamed.message))
  t.match(renamed.observations, { hostnameVerified: true, tlsAuthorized: true }, 'tls.servername sets the name verified')
})

t.test('TLS facts come from the last hop, and only over HTTPS', async (t) => {
  const self = selfSignedCertificate()
  const { base } = await serve(t, (_req, res) => res.end('plain'))
  const plain = await runCheckInline(httpCheck, { url: base })
  for (const name of ['tlsVersion', 'tlsCipher', 'chainTrusted', 'hostnameVerified', 'certSans', 'daysUntilExpiry']) {
    t.notOk(plain.observations && name in plain.observations, `no ${name} over http`)
  }
  const secure = await serve(t, (_req, res) => res.writeHead(302, { location: `${base}/` }).end(), httpsServer(self))
  const downgraded = await runCheckInline(httpCheck, { url: `${secure.base}/`, tls: { ca: self.cert } })
  t.equal(downgraded.status, 'up', String(downgraded.message))
  t.notOk(downgraded.observations && 'certSubject' in downgraded.observations, 'the final hop was plain http')
})
