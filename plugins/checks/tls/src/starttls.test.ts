import t from 'tap'
import { assertObservationsDeclared, runCheckInline, selfSignedCertificate } from '@vedette/sdk/testing'
import { tlsCheck } from './index.js'
import { plugin, serveSmtp } from './test-support.test.util.js'

const { key, cert } = selfSignedCertificate({ commonName: 'mail.test', altNames: ['mail.test'], days: 30 })

t.test('SMTP STARTTLS: greeting, EHLO, STARTTLS, then the certificate', async (t) => {
  const received: string[] = []
  const port = await serveSmtp(t, { key, cert, received })
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, starttls: 'smtp', servername: 'mail.test', ca: cert, minDaysUntilExpiry: 14 })
  t.equal(result.status, 'up', String(result.message))
  t.match(result.observations, { subject: 'mail.test', sans: ['mail.test'], chainTrusted: true, hostnameVerified: true, selfSigned: true, keyType: 'RSA' })
  t.ok(Math.abs((result.observations?.daysUntilExpiry as number) - 30) < 0.01)
  t.match(received, [/^EHLO \S+$/, 'STARTTLS'])
  t.ok((result.phases?.starttls as number) > 0, 'starttls phase measured')
  t.ok((result.phases?.tls as number) > 0, 'tls phase measured')
  assertObservationsDeclared(t, plugin, result.observations)
})

t.test('a server that does not offer STARTTLS', async (t) => {
  const received: string[] = []
  const port = await serveSmtp(t, { key, cert, offerStartTls: false, received })
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, starttls: 'smtp' })
  t.equal(result.status, 'down')
  t.equal(result.message, `STARTTLS with 127.0.0.1:${port} failed: SMTP server does not offer STARTTLS in its EHLO reply`)
  t.match(result.observations, { failedPhase: 'starttls' })
  t.equal(received.length, 1, 'STARTTLS is not sent')
})

t.test('a refusing greeting', async (t) => {
  const port = await serveSmtp(t, { key, cert, greeting: '554 5.3.2 no service for you' })
  const result = await runCheckInline(tlsCheck, { host: '127.0.0.1', port, starttls: 'smtp' })
  t.equal(result.status, 'down')
  t.equal(result.message, `STARTTLS with 127.0.0.1:${port} failed: SMTP greeting was "554 5.3.2 no service for you", not 220`)
})
