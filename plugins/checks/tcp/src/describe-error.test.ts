import t from 'tap'
import { describeSocketError, excerpt } from './describe-error.js'

const coded = (code: string, message: string): Error => Object.assign(new Error(message), { code })

t.test('messages by stage', async (t) => {
  t.equal(describeSocketError('dns', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal'), 'db.internal:5432'), 'DNS lookup for db.internal failed: getaddrinfo ENOTFOUND db.internal')
  t.equal(describeSocketError('connect', coded('ECONNREFUSED', 'refused'), '[::1]:22'), 'connection refused by [::1]:22')
  t.equal(describeSocketError('connect', coded('ETIMEDOUT', 'timed out'), 'db:5432'), 'TCP connect to db:5432 failed: timed out (ETIMEDOUT)')
  t.equal(
    describeSocketError('tls', coded('CERT_HAS_EXPIRED', 'certificate has expired'), 'mail:993'),
    'TLS certificate of mail:993 rejected: certificate has expired (CERT_HAS_EXPIRED) (set tlsVerify: false to accept it)'
  )
  t.equal(describeSocketError('tls', coded('ECONNRESET', 'socket hang up'), 'mail:993'), 'TLS handshake with mail:993 failed: socket hang up (ECONNRESET)')
  t.equal(describeSocketError('expect', coded('ECONNRESET', 'read ECONNRESET'), 'mail:993'), 'connection to mail:993 failed: read ECONNRESET')
})

t.test('excerpt', async (t) => {
  t.equal(excerpt(''), 'nothing')
  t.equal(excerpt('220 ok\r\n'), '"220 ok\\r\\n"')
  t.equal(excerpt('abcdef', 3), '"abc"…')
})
