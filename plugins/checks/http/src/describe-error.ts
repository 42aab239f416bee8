import type { HopStage } from './hop.js'

/** The phase a failed stage is charged to, as reported in observation `failedPhase`. */
export function phaseOfStage(stage: HopStage): string {
  return stage === 'request' ? 'ttfb' : stage === 'response' ? 'transfer' : stage
}

/** A stable code for an error: its own, or the first of an AggregateError's (happy eyeballs). */
export function errorCode(err: Error): string | undefined {
  const code = (err as NodeJS.ErrnoException).code
  if (typeof code === 'string') return code
  if (err instanceof AggregateError) {
    const first: unknown = err.errors[0]
    if (first instanceof Error) return errorCode(first)
  }
  return undefined
}

// OpenSSL verification codes and Node's hostname check: all mean "the
// certificate was rejected", which deserves a message saying so.
const CERT_ERROR = /CERT|SELF_SIGNED|ISSUER|SIGNATURE|UNABLE_TO_VERIFY/

/**
 * Turns a failed hop into the `down` message an operator reads first: what
 * failed, against which endpoint, and the underlying reason.
 *
 * @example
 * describeFailure('connect', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), new URL('http://a:81/'))
 * // 'connection refused by a:81'
 */
export function describeFailure(stage: HopStage, err: Error, url: URL): string {
  const code = errorCode(err)
  const endpoint = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
  const detail = code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message
  switch (stage) {
    case 'dns':
      return `DNS lookup for ${url.hostname} failed: ${detail}`
    case 'connect':
      if (code === 'ECONNREFUSED') return `connection refused by ${endpoint}`
      return `TCP connect to ${endpoint} failed: ${detail}`
    case 'tls':
      if (code !== undefined && CERT_ERROR.test(code)) {
        return `TLS certificate of ${endpoint} rejected: ${detail} (set tlsVerify: false to accept it)`
      }
      return `TLS handshake with ${endpoint} failed: ${detail}`
    case 'request':
      if (code === 'UND_ERR_SOCKET') return `${endpoint} closed the connection before sending response headers`
      if (code === 'UND_ERR_HEADERS_OVERFLOW') return `response headers from ${endpoint} are too large`
      if (code?.startsWith('HPE_')) return `invalid HTTP response from ${endpoint}: ${detail}`
      return `no response from ${endpoint}: ${detail}`
    case 'response':
      if (code === 'UND_ERR_SOCKET') return `${endpoint} closed the connection in the middle of the response body`
      if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return `response body from ${endpoint} does not match its content-length`
      return `reading the response body from ${endpoint} failed: ${detail}`
  }
}
