import { createHmac, timingSafeEqual } from 'node:crypto'

/** `sha256=<hex>`: HMAC-SHA256 of `${timestamp}.${body}` keyed with the channel's `secret`. */
export const SIGNATURE_HEADER = 'x-vedette-signature'
/** Unix time in seconds when the request was signed; part of the signed string. */
export const TIMESTAMP_HEADER = 'x-vedette-timestamp'

/**
 * The `X-Vedette-Signature` value for a body. The timestamp is signed with
 * the body so that a captured request cannot be replayed later with a fresh
 * timestamp; receivers reject timestamps too far from their clock.
 *
 * @example
 * signBody('{"version":1}', 'shh', 1767225600) // 'sha256=5c1f…'
 */
export function signBody(body: string | Uint8Array, secret: string, timestamp: number): string {
  const hmac = createHmac('sha256', secret)
  hmac.update(`${timestamp}.`)
  hmac.update(body)
  return `sha256=${hmac.digest('hex')}`
}

export interface VerifySignatureInput {
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Uint8Array
  secret: string
  /** The `X-Vedette-Signature` header. */
  signature: string | undefined
  /** The `X-Vedette-Timestamp` header. */
  timestamp: string | undefined
  /** Default 300: how far (in seconds) the timestamp may be from `now`. */
  toleranceSeconds?: number
  /** Default `Date.now()`. */
  now?: number
}

/**
 * For receivers written in Node: true when the request was signed with
 * `secret` within the tolerance. Compares in constant time.
 *
 * @example
 * const ok = verifySignature({ body: rawBody, secret, signature: req.headers['x-vedette-signature'], timestamp: req.headers['x-vedette-timestamp'] })
 */
export function verifySignature(input: VerifySignatureInput): boolean {
  const { body, secret, signature, timestamp, toleranceSeconds = 300, now = Date.now() } = input
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || !/^[0-9]+$/.test(timestamp)) return false
  const ts = Number(timestamp)
  if (Math.abs(now / 1000 - ts) > toleranceSeconds) return false
  const expected = Buffer.from(signBody(body, secret, ts))
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
