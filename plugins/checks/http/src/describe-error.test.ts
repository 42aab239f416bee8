import t from 'tap'
import { describeFailure, phaseOfStage } from './describe-error.js'

const coded = (code: string, message: string): Error => Object.assign(new Error(message), { code })
const https = new URL('https://shop.example/cart')
const http = new URL('http://10.0.0.7:8080/')

t.test('one message per stage, naming the endpoint', async (t) => {
  t.equal(describeFailure('dns', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND shop.example'), https), 'DNS lookup for shop.example failed: getaddrinfo ENOTFOUND shop.example')
  t.equal(describeFailure('dns', coded('EAI_AGAIN', 'temporary failure'), https), 'DNS lookup for shop.example failed: temporary failure (EAI_AGAIN)')
  t.equal(describeFailure('connect', coded('ECONNREFUSED', 'connect ECONNREFUSED'), http), 'connection refused by 10.0.0.7:8080')
  t.equal(describeFailure('connect', coded('EHOSTUNREACH', 'no route'), https), 'TCP connect to shop.example:443 failed: no route (EHOSTUNREACH)')
  t.equal(
    describeFailure('tls', coded('CERT_HAS_EXPIRED', 'certificate has expired'), https),
    'TLS certificate of shop.example:443 rejected: certificate has expired (CERT_HAS_EXPIRED) (set tls.ca to trust its issuer, or tlsVerify: false to accept it)'
  )
  t.match(describeFailure('tls', coded('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), https), /^TLS certificate of shop\.example:443 rejected/)
  t.equal(describeFailure('tls', coded('ECONNRESET', 'socket hang up'), https), 'TLS handshake with shop.example:443 failed: socket hang up (ECONNRESET)')
  t.equal(describeFailure('request', coded('HPE_INVALID_CONSTANT', 'Expected HTTP/'), http), 'invalid HTTP response from 10.0.0.7:8080: Expected HTTP/ (HPE_INVALID_CONSTANT)')
  t.equal(describeFailure('request', coded('UND_ERR_HEADERS_OVERFLOW', 'Headers Overflow Error'), http), 'response headers from 10.0.0.7:8080 are too large')
  t.equal(describeFailure('request', new Error('odd'), http), 'no response from 10.0.0.7:8080: odd')
  t.equal(
    describeFailure('response', coded('UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'mismatch'), http),
    'response body from 10.0.0.7:8080 does not match its content-length'
  )
})

t.test('stages map to phase names', async (t) => {
  t.same(['dns', 'connect', 'tls', 'request', 'response'].map((s) => phaseOfStage(s as Parameters<typeof phaseOfStage>[0])), ['dns', 'connect', 'tls', 'ttfb', 'transfer'])
})

t.test('TLS alerts about the client certificate, and OpenSSL strings cut to their reason', async (t) => {
  const alert = (code: string, reason: string, n: number): Error =>
    coded(code, `80DCC44A227F0000:error:0A000410:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number ${n}\n`)
  const required = alert('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'tlsv13 alert certificate required', 116)
  t.equal(describeFailure('request', required, https), 'shop.example:443 requires a client certificate and none was sent: set tls.cert and tls.key (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)')
  t.equal(phaseOfStage('request', required), 'tls', 'a TLS alert mid-request is a tls failure')
  t.equal(
    describeFailure('tls', alert('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca', 48), https, { clientCert: true }),
    'shop.example:443 rejected the client certificate: tlsv1 alert unknown ca (SSL alert number 48) (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)'
  )
  const failure = alert('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'sslv3 alert handshake failure', 40)
  t.equal(
    describeFailure('tls', failure, https),
    'TLS handshake with shop.example:443 failed: sslv3 alert handshake failure (SSL alert number 40) (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE) (a server that requires a client certificate says so when none is sent: set tls.cert and tls.key)'
  )
  t.equal(
    describeFailure('tls', failure, https, { clientCert: true }),
    'TLS handshake with shop.example:443 failed: sslv3 alert handshake failure (SSL alert number 40) (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)'
  )
  t.equal(
    describeFailure('tls', coded('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames: DNS:b"), https),
    "TLS certificate of shop.example:443 rejected: Hostname/IP does not match certificate's altnames: Host: a. is not in the cert's altnames: DNS:b (ERR_TLS_CERT_ALTNAME_INVALID) (set tls.servername to a name the certificate carries, or tlsVerify: false to accept it)"
  )
})
