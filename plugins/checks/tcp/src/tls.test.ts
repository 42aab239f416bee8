import { createServer } from 'node:tls'
import type { Server } from 'node:net'
import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { tcpCheck } from './index.js'
import { plugin, serveTcp } from './test-support.test.util.js'

const { key, cert } = selfSignedCertificate()

t.test('implicit TLS with a self-signed certificate', async (t) => {
  const port = await serveTcp(t, (socket) => socket.write('* OK IMAP4rev1 ready\r\n'), createServer({ key, cert }) as unknown as Server)
  const [verified, unverified] = await Promise.all([
    runCheck(plugin, { host: '127.0.0.1', port, tls: true }),
    runCheck(plugin, { host: '127.0.0.1', port, tls: true, tlsVerify: false, expect: '* OK' })
  ])
  t.equal(verified.status, 'down')
  t.equal(
    verified.message,
    `TLS certificate of 127.0.0.1:${port} rejected: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) (set tlsVerify: false to accept it)`
  )
  t.match(verified.observations, { connected: false, failedPhase: 'tls', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })

  t.equal(unverified.status, 'up', String(unverified.message))
  t.ok((unverified.phases?.tls as number) > 0, 'tls phase measured')
  t.match(unverified.observations, { connected: true, tlsAuthorized: false, tlsVersion: /^TLSv1\.[23]$/, response: '* OK IMAP4rev1 ready\r\n' })
  assertObservationsDeclared(t, plugin, unverified.observations)
})

t.test('connect only over TLS, by name and with an explicit servername', async (t) => {
  // Read during the handshake: the check may close before the server's
  // secureConnection event, which is fine for a connect-only probe.
  let sni: string | undefined
  const server = createServer({
    key,
    cert,
    SNICallback: (name, done) => {
      sni = name
      done(null, undefined)
    }
  })
  const port = await serveTcp(t, () => {}, server as unknown as Server)
  const byName = await runCheckInline(tcpCheck, { host: 'localhost', port, tls: true, tlsVerify: false })
  t.equal(byName.status, 'up', String(byName.message))
  t.match(byName.message, /^connected to localhost:\d+ over TLSv1\.[23]$/)
  t.ok((byName.phases?.dns as number) > 0 && (byName.phases?.tls as number) > 0)
  t.equal(sni, 'localhost')
  const named = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, tls: true, tlsVerify: false, servername: 'imap.example' })
  t.equal(named.status, 'up', String(named.message))
  t.equal(sni, 'imap.example')
})

t.test('a certificate for another name is rejected when verifying', async (t) => {
  const port = await serveTcp(t, () => {}, createServer({ key, cert }) as unknown as Server)
  const result = await runCheckInline(tcpCheck, { host: '127.0.0.1', port, tls: true, servername: 'imap.example' })
  t.equal(result.status, 'down')
  t.match(result.message, /^TLS certificate of 127\.0\.0\.1:\d+ rejected: /)
})
