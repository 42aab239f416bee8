import { X509Certificate } from 'node:crypto'
import t from 'tap'
import { selfSignedCertificate } from '@vedette/sdk/testing'
import { formatDays, parseSubjectAltName, signatureAlgorithm, signatureAlgorithmOid } from './index.js'

t.test('parseSubjectAltName', async (t) => {
  t.same(parseSubjectAltName(undefined), [])
  t.same(parseSubjectAltName('DNS:shop.example, DNS:*.shop.example, IP Address:10.0.0.1, IP Address:::1'), ['shop.example', '*.shop.example', '10.0.0.1', '::1'])
  t.same(parseSubjectAltName('email:ops@example.com, URI:"https://a.example/x,y"'), ['email:ops@example.com', 'URI:https://a.example/x,y'], 'quoted values')
})

t.test('signature algorithm read from the DER', async (t) => {
  const cert = new X509Certificate(selfSignedCertificate().cert)
  t.equal(signatureAlgorithmOid(cert.raw), '1.2.840.113549.1.1.11')
  t.equal(signatureAlgorithm(cert), 'sha256WithRSAEncryption')
  t.equal(signatureAlgorithmOid(Buffer.from([0x30, 0x82, 0xff])), undefined, 'truncated DER')
  t.equal(signatureAlgorithmOid(Buffer.from([0x04, 0x00])), undefined, 'not a SEQUENCE')
})

t.test('formatDays', async (t) => {
  t.equal(formatDays(5.04), '5.0 days')
  t.equal(formatDays(0.5), '12.0 hours')
  t.equal(formatDays(0.01), '14 minutes')
})
