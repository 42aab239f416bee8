import { describeNetworkError, networkErrorCode, networkErrorDetail } from '@vedette/sdk'
import type { HopStage } from './hop.js'

/** The fix a rejected certificate's message suggests, in this plugin's config terms. */
const CERTIFICATE_HINT = 'set tlsVerify: false to accept it'

/** The phase a failed stage is charged to, as reported in observation `failedPhase`. */
export function phaseOfStage(stage: HopStage): string {
  return stage === 'request' ? 'ttfb' : stage === 'response' ? 'transfer' : stage
}

/**
 * Turns a failed hop into the `down` message an operator reads first: what
 * failed, against which endpoint, and the underlying reason.
 *
 * @example
 * describeFailure('connect', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), new URL('http://a:81/'))
 * // 'connection refused by a:81'
 */
export function describeFailure(stage: HopStage, err: Error, url: URL): string {
  const endpoint = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`
  const code = networkErrorCode(err)
  switch (stage) {
    case 'dns':
    case 'connect':
    case 'tls':
      return describeNetworkError(err, { stage, endpoint, certificateHint: CERTIFICATE_HINT })
    case 'request':
      if (code === 'UND_ERR_SOCKET') return `${endpoint} closed the connection before sending response headers`
      if (code === 'UND_ERR_HEADERS_OVERFLOW') return `response headers from ${endpoint} are too large`
      if (code?.startsWith('HPE_')) return `invalid HTTP response from ${endpoint}: ${networkErrorDetail(err)}`
      return `no response from ${endpoint}: ${networkErrorDetail(err)}`
    case 'response':
      if (code === 'UND_ERR_SOCKET') return `${endpoint} closed the connection in the middle of the response body`
      if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return `response body from ${endpoint} does not match its content-length`
      return `reading the response body from ${endpoint} failed: ${networkErrorDetail(err)}`
  }
}
