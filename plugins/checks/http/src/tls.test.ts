import { createServer } from 'node:https'
import type { Server } from 'node:http'
import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

const { key, cert } = selfSignedCertificate()

t.test('tlsVerify rejects a self-signed certificate; false accepts it and times the handshake', async (t) => {
  const { base, port } = await serve(t, (_req, res) => res.end('secure'), createServer({ key, cert }) as unknown as Server)
  const [verified, unverified] = await Promise.all([
    runCheck(plugin, { url: `${base}/` }),
    runCheck(plugin, { url: `${base}/`, tlsVerify: false })
  ])
  t.equal(verified.status, 'down')
  t.equal(
    verified.message,
    `TLS certificate of 127.0.0.1:${port} rejected: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (set tls.ca to trust its issuer, or tlsVerify: false to accept it)`
  )
  t.match(verified.observations, { failedPhase: 'tls', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })

  t.equal(unverified.status, 'up', String(unverified.message))
  t.ok((unverified.phases?.tls as number) > 0, 'tls phase measured')
  t.match(unverified.observations, { tlsAuthorized: false, tlsVersion: /^TLSv1\.[23]$/, responseBytes: 6 })
  assertObservationsDeclared(t, plugin, verified.observations)
  assertObservationsDeclared(t, plugin, unverified.observations)
})

t.test('by name: SNI and the dns phase', async (t) => {
  const names: (string | undefined)[] = []
  const server = createServer({
    key,
    cert,
    SNICallback: (name, done) => {
      names.push(name)
      done(null, undefined)
    }
  })
  const { port } = await serve(t, (_req, res) => res.end('ok'), server as unknown as Server)
  const result = await runCheckInline(httpCheck, { url: `https://localhost:${port}/`, tlsVerify: false })
  t.equal(result.status, 'up', String(result.message))
  t.ok((result.phases?.dns as number) > 0 && (result.phases?.tls as number) > 0)
  const virtualHost = await runCheckInline(httpCheck, { url: `https://127.0.0.1:${port}/`, tlsVerify: false, headers: { host: 'shop.example' } })
  t.equal(virtualHost.status, 'up', String(virtualHost.message))
  t.same(names, ['localhost', 'shop.example'], 'SNI from the URL host, or from a Host override')
})

t.test('an http to https redirect reports a tls phase', async (t) => {
  const secure = await serve(t, (_req, res) => res.end('ok'), createServer({ key, cert }) as unknown as Server)
  const { base } = await serve(t, (_req, res) => res.writeHead(301, { location: `${secure.base}/` }).end())
  const result = await runCheckInline(httpCheck, { url: base, tlsVerify: false })
  t.equal(result.status, 'up', String(result.message))
  t.ok((result.phases?.tls as number) > 0)
  t.equal(result.observations?.finalUrl, `${secure.base}/`)
})

t.test('https reports the certificate expiry, so tls.daysUntilExpiry assertions work on HTTP monitors', async (t) => {
  const soon = selfSignedCertificate({ days: 5 })
  const { base } = await serve(t, (_req, res) => res.end('ok'), createServer({ key: soon.key, cert: soon.cert }) as unknown as Server)
  const result = await runCheckInline(httpCheck, { url: `${base}/`, tlsVerify: false }, { assertions: ['status == 200', 'tls.daysUntilExpiry > 14 warning'] })
  t.ok(Math.abs((result.observations?.daysUntilExpiry as number) - 5) < 0.01, `daysUntilExpiry ${result.observations?.daysUntilExpiry}`)
  t.equal(result.observations?.certNotAfter, soon.notAfter.toISOString())
  t.equal(result.observations?.certSubject, 'localhost')
  t.equal(result.status, 'degraded', 'a certificate expiring in 5 days fails the warning assertion')
})
