/** The stages every network check goes through before its own protocol starts. */
export type NetworkStage = 'dns' | 'connect' | 'tls'

export interface NetworkErrorContext {
  /** Where the error happened: the same code means different things in `connect` and `tls`. */
  stage: NetworkStage
  /** `host:port` as the operator configured it (`[::1]:443` for IPv6); the DNS message uses the host part. */
  endpoint: string
  /**
   * Appended in parentheses to a rejected-certificate message: how to accept
   * the certificate with this plugin's config, e.g. `set tlsVerify: false to accept it`.
   */
  certificateHint?: string
}

// OpenSSL verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED,
// UNABLE_TO_VERIFY_LEAF_SIGNATURE...) and Node's hostname check
// (ERR_TLS_CERT_ALTNAME_INVALID): all mean "the certificate was rejected",
// which deserves a message saying so rather than "handshake failed".
const CERT_ERROR = /CERT|SELF_SIGNED|ISSUER|SIGNATURE|UNABLE_TO_VERIFY/

/**
 * A stable code for an error: its own `code`, or the first of an
 * AggregateError's. Node's happy eyeballs (autoSelectFamily) reports a failed
 * connect to every address of a name as an AggregateError with no code of its own.
 *
 * @example
 * networkErrorCode(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })])) // 'ECONNREFUSED'
 */
export function networkErrorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined
  const code = (err as NodeJS.ErrnoException).code
  if (typeof code === 'string') return code
  if (err instanceof AggregateError) return networkErrorCode(err.errors[0])
  return undefined
}

/**
 * The error's message with its code appended when the message does not already
 * name it: `no route (EHOSTUNREACH)`, but `getaddrinfo ENOTFOUND shop.example` as is.
 */
export function networkErrorDetail(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = networkErrorCode(err)
  return code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message
}

/**
 * The `down` message an operator reads first for a failure before the
 * check's own protocol started: what failed, against which endpoint, and why.
 * Plugins describe their own later stages (request, expect...) themselves,
 * with `networkErrorDetail` for the reason.
 *
 * @example
 * describeNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { stage: 'connect', endpoint: 'db:5432' })
 * // 'connection refused by db:5432'
 * describeNetworkError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), {
 *   stage: 'tls', endpoint: 'shop.example:443', certificateHint: 'set tlsVerify: false to accept it'
 * })
 * // 'TLS certificate of shop.example:443 rejected: certificate has expired (CERT_HAS_EXPIRED) (set tlsVerify: false to accept it)'
 */
export function describeNetworkError(err: unknown, context: NetworkErrorContext): string {
  const { stage, endpoint, certificateHint } = context
  const code = networkErrorCode(err)
  const detail = networkErrorDetail(err)
  switch (stage) {
    case 'dns':
      return `DNS lookup for ${hostOf(endpoint)} failed: ${detail}`
    case 'connect':
      if (code === 'ECONNREFUSED') return `connection refused by ${endpoint}`
      return `TCP connect to ${endpoint} failed: ${detail}`
    case 'tls':
      if (code !== undefined && CERT_ERROR.test(code)) {
        return `TLS certificate of ${endpoint} rejected: ${detail}${certificateHint === undefined ? '' : ` (${certificateHint})`}`
      }
      return `TLS handshake with ${endpoint} failed: ${detail}`
  }
}

function hostOf(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':')
  return colon === -1 ? endpoint : endpoint.slice(0, colon)
}
