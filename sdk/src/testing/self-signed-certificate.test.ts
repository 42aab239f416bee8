import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { connect, createServer } from 'node:tls'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { selfSignedCertificate } from './self-signed-certificate.js'
import type { SelfSignedCertificate } from './self-signed-certificate.js'

const DAY = 86_400_000

/** How a client that trusts `cert` (or nothing) sees a server presenting it. */
async function handshake(t: Test, pair: SelfSignedCertificate, opts: { servername?: string; trust: boolean }): Promise<string> {
  const server = createServer({ key: pair.key, cert: pair.cert })
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const { port } = server.address() as AddressInfo
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: opts.servername ?? 'localhost', ...(opts.trust ? { ca: pair.cert } : {}) }, () => {
      socket.end()
      resolve('authorized')
    })
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(String(err.code)))
  })
}

t.test('defaults: localhost and 127.0.0.1 for two days, self-signed', async (t) => {
  const pair = selfSignedCertificate()
  const x509 = new X509Certificate(pair.cert)
  t.equal(x509.subject, 'CN=localhost')
  t.equal(x509.issuer, 'CN=localhost')
  t.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1')
  t.equal(Date.parse(x509.validTo) - Date.parse(x509.validFrom), 2 * DAY)
  t.ok(Math.abs(Date.parse(x509.validFrom) - Date.now()) < 5000)
  t.same([new Date(x509.validFrom), new Date(x509.validTo)], [pair.notBefore, pair.notAfter])
  t.ok(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(pair.key)))
  t.equal(readFileSync(pair.certPath, 'utf8'), pair.cert)
  t.equal(readFileSync(pair.keyPath, 'utf8'), pair.key)
  t.ok(pair.certPath.startsWith(pair.dir) && !existsSync(`${pair.dir}/openssl`), 'only key and cert are left')
  t.equal(await handshake(t, pair, { trust: false }), 'DEPTH_ZERO_SELF_SIGNED_CERT')
  t.equal(await handshake(t, pair, { trust: true }), 'authorized', 'trusted as its own CA')
})

t.test('the certificates a TLS check must tell apart', async (t) => {
  const expiring = selfSignedCertificate({ days: 7 })
  t.equal(expiring.notAfter.getTime() - expiring.notBefore.getTime(), 7 * DAY)
  t.equal(await handshake(t, expiring, { trust: true }), 'authorized')

  const halfDay = selfSignedCertificate({ days: 0.5 })
  t.equal(new Date(new X509Certificate(halfDay.cert).validTo).getTime() - halfDay.notBefore.getTime(), DAY / 2)

  const expired = selfSignedCertificate({ notBefore: new Date(Date.now() - 10 * DAY), days: 1 })
  t.ok(Date.parse(new X509Certificate(expired.cert).validTo) < Date.now() - 8 * DAY)
  t.equal(await handshake(t, expired, { trust: true }), 'CERT_HAS_EXPIRED')

  const future = selfSignedCertificate({ notBefore: new Date(Date.now() + DAY) })
  t.equal(await handshake(t, future, { trust: true }), 'CERT_NOT_YET_VALID')

  const elsewhere = selfSignedCertificate({ commonName: 'shop.example', altNames: ['shop.example', '*.shop.example', '::1'] })
  t.equal(new X509Certificate(elsewhere.cert).subjectAltName, 'DNS:shop.example, DNS:*.shop.example, IP Address:0:0:0:0:0:0:0:1')
  t.equal(await handshake(t, elsewhere, { trust: true }), 'ERR_TLS_CERT_ALTNAME_INVALID', 'localhost is not among its names')
  t.equal(await handshake(t, elsewhere, { trust: true, servername: 'api.shop.example' }), 'authorized')

  const noSan = selfSignedCertificate({ commonName: 'cn-only.example', altNames: [] })
  t.equal(new X509Certificate(noSan.cert).subjectAltName, undefined)
})

t.test('options are checked before openssl runs', async (t) => {
  t.throws(() => selfSignedCertificate({ commonName: 'a/b' }), { name: 'TypeError', message: /commonName must be 1 to 64 characters/ })
  t.throws(() => selfSignedCertificate({ commonName: '' }), TypeError)
  t.throws(() => selfSignedCertificate({ altNames: ['bad name'] }), { message: 'selfSignedCertificate: altNames entry "bad name" is neither a host name nor an IP address' })
  t.throws(() => selfSignedCertificate({ altNames: ['a,DNS:b'] }), TypeError)
  t.throws(() => selfSignedCertificate({ altNames: 'localhost' as never }), TypeError)
  t.throws(() => selfSignedCertificate({ days: 0 }), { name: 'RangeError', message: 'selfSignedCertificate: days must be a positive number, got 0' })
  t.throws(() => selfSignedCertificate({ days: Number.NaN }), RangeError)
  t.throws(() => selfSignedCertificate({ notBefore: new Date('nope') }), { name: 'RangeError', message: /notBefore/ })
})
