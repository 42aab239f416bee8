import { describeNetworkError, networkErrorCode, networkErrorDetail } from '@vedette/sdk'
import type { HopStage } from './hop.js'

/** The fixes a rejected certificate's message suggests, in this plugin's config terms. */
const CHAIN_HINT = 'set tls.ca to trust its issuer, or tlsVerify: false to accept it'
const NAME_HINT = 'set tls.servername to a name the certificate carries, or tlsVerify: false to accept it'

// TLS alerts the server sends about the client certificate. Under TLS 1.3 the
// server judges it after the client's handshake is done, so the alert arrives
// while the request is in flight rather than during the handshake.
const CLIENT_CERT_REQUIRED = /ALERT_CERTIFICATE_REQUIRED$/
const CLIENT_CERT_REJECTED = /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)$/
// Under TLS 1.2 a server that requires a client certificate and got none
// answers with the generic handshake_failure alert.
const HANDSHAKE_FAILURE = 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'
// OpenSSL's error string: `<thread>:error:<code>:<lib>:<func>:<reason>:<file>:<line>:<data>`.
const OPENSSL_ERROR = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):[^:]*:\d+:(.*)$/s

/** What to know of the config to suggest a fix. */
export interface FailureContext {
  /** `tls.cert` is set: a client certificate was offered. */
  clientCert?: boolean
}

/**
 * The stage a failure belongs to: as recorded, except that a TLS alert
 * (`ERR_SSL_*`) received once the request was under way is a TLS failure.
 */
export function failureStage(stage: HopStage, err?: Error): HopStage {
  if ((stage === 'request' || stage === 'response') && err !== undefined && networkErrorCode(err)?.startsWith('ERR_SSL_')) return 'tls'
  return stage
}

/** The phase a failed stage is charged to, as reported in observation `failedPhase`. */
export function phaseOfStage(stage: HopStage, err?: Error): string {
  const effective = failureStage(stage, err)
  return effective === 'request' ? 'ttfb' : effective === 'response' ? 'transfer' : effective
}

/**
 * Turns a failed hop into the `down` message an operator reads first: what
 * failed, against which endpoint, and the underlying reason.
 *
 * @example
 * describeFailure('connect', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), new URL('http://a:81/'))
 * // 'connection refused by a:81'
 */
export function describeFailure(stage: HopStage, err: Error, url: URL, context: FailureContext = {}): string {
  const endpoint = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
  const code = networkErrorCode(err)
  const effective = failureStage(stage, err)
  switch (effective) {
    case 'dns':
    case 'connect':
    case 'tls':
      if (code === undefined || !code.startsWith('ERR_SSL_')) {
        return describeNetworkError(err, { stage: effective, endpoint, certificateHint: code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? NAME_HINT : CHAIN_HINT })
      }
      if (CLIENT_CERT_REQUIRED.test(code)) {
        return `${endpoint} requires a client certificate${context.clientCert ? '' : ' and none was sent: set tls.cert and tls.key'} (${code})`
      }
      if (CLIENT_CERT_REJECTED.test(code)) return `${endpoint} rejected the client certificate: ${openSslDetail(err, code)}`
      if (code === HANDSHAKE_FAILURE && !context.clientCert) {
        return `TLS handshake with ${endpoint} failed: ${openSslDetail(err, code)} (a server that requires a client certificate says so when none is sent: set tls.cert and tls.key)`
      }
      return `TLS handshake with ${endpoint} failed: ${openSslDetail(err, code)}`
    case 'request':
      if (code === 'UND_ERR_SOCKET') {
        // Node's own TLS server, for one, drops a connection whose client certificate it refuses without an alert.
        const hint = context.clientCert && url.protocol === 'https:' ? ' (it may have refused the client certificate)' : ''
        return `${endpoint} closed the connection before sending response headers${hint}`
      }
      if (code === 'UND_ERR_HEADERS_OVERFLOW') return `response headers from ${endpoint} are too large`
      if (code?.startsWith('HPE_')) return `invalid HTTP response from ${endpoint}: ${networkErrorDetail(err)}`
      return `no response from ${endpoint}: ${networkErrorDetail(err)}`
    case 'response':
      if (code === 'UND_ERR_SOCKET') return `${endpoint} closed the connection in the middle of the response body`
      if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return `response body from ${endpoint} does not match its content-length`
      return `reading the response body from ${endpoint} failed: ${networkErrorDetail(err)}`
  }
}

/** OpenSSL's multi-field error string cut down to its reason: `sslv3 alert handshake failure (SSL alert number 40) (CODE)`. */
function openSslDetail(err: Error, code: string): string {
  const m = OPENSSL_ERROR.exec(err.message)
  if (m === null) return networkErrorDetail(err)
  const data = (m[2] as string).trim()
  return `${m[1] as string}${data === '' ? '' : ` (${data})`} (${code})`
}
