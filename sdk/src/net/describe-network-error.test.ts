import t from 'tap'
import { describeNetworkError, networkErrorCode, networkErrorDetail } from './describe-network-error.js'

const coded = (code: string, message: string): Error => Object.assign(new Error(message), { code })
const hint = 'set tlsVerify: false to accept it'

t.test('one message per stage, naming the endpoint', async (t) => {
  t.equal(
    describeNetworkError(coded('ENOTFOUND', 'getaddrinfo ENOTFOUND shop.example'), { stage: 'dns', endpoint: 'shop.example:443' }),
    'DNS lookup for shop.example failed: getaddrinfo ENOTFOUND shop.example'
  )
  t.equal(describeNetworkError(coded('EAI_AGAIN', 'temporary failure'), { stage: 'dns', endpoint: 'db' }), 'DNS lookup for db failed: temporary failure (EAI_AGAIN)')
  t.equal(describeNetworkError(coded('ECONNREFUSED', 'refused'), { stage: 'connect', endpoint: '[::1]:22' }), 'connection refused by [::1]:22')
  t.equal(describeNetworkError(coded('ETIMEDOUT', 'timed out'), { stage: 'connect', endpoint: 'db:5432' }), 'TCP connect to db:5432 failed: timed out (ETIMEDOUT)')
  t.equal(describeNetworkError(coded('ECONNRESET', 'socket hang up'), { stage: 'tls', endpoint: 'mail:993' }), 'TLS handshake with mail:993 failed: socket hang up (ECONNRESET)')
})

t.test('a rejected certificate says so, with the plugin’s hint when given', async (t) => {
  const expired = coded('CERT_HAS_EXPIRED', 'certificate has expired')
  t.equal(
    describeNetworkError(expired, { stage: 'tls', endpoint: 'mail:993', certificateHint: hint }),
    'TLS certificate of mail:993 rejected: certificate has expired (CERT_HAS_EXPIRED) (set tlsVerify: false to accept it)'
  )
  t.equal(describeNetworkError(expired, { stage: 'tls', endpoint: 'mail:993' }), 'TLS certificate of mail:993 rejected: certificate has expired (CERT_HAS_EXPIRED)')
  for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']) {
    t.match(describeNetworkError(coded(code, 'x'), { stage: 'tls', endpoint: 'a:1' }), /^TLS certificate of a:1 rejected: /, code)
  }
})

t.test('codes and details', async (t) => {
  t.equal(networkErrorCode(new AggregateError([coded('ECONNREFUSED', 'a'), coded('ETIMEDOUT', 'b')], 'all failed')), 'ECONNREFUSED', 'happy eyeballs: the first address’s code')
  t.equal(networkErrorCode(new AggregateError([], 'none')), undefined)
  t.equal(networkErrorCode(new Error('plain')), undefined)
  t.equal(networkErrorCode('ECONNREFUSED'), undefined, 'not an error')
  t.equal(networkErrorDetail(coded('ECONNRESET', 'read ECONNRESET')), 'read ECONNRESET', 'no code twice')
  t.equal(networkErrorDetail(new AggregateError([coded('ENETUNREACH', 'a')], 'all failed')), 'all failed (ENETUNREACH)')
  t.equal(networkErrorDetail('thrown string'), 'thrown string')
})
