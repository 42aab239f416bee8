import type { ProbeStage } from './probe.js'

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
 * The `down` message for a socket error, by the stage it happened in.
 *
 * @example
 * describeSocketError('connect', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'db:5432')
 * // 'connection refused by db:5432'
 */
export function describeSocketError(stage: ProbeStage, err: Error, endpoint: string): string {
  const code = errorCode(err)
  const detail = code !== undefined && !err.message.includes(code) ? `${err.message} (${code})` : err.message
  switch (stage) {
    case 'dns':
      return `DNS lookup for ${endpoint.slice(0, endpoint.lastIndexOf(':'))} failed: ${detail}`
    case 'connect':
      if (code === 'ECONNREFUSED') return `connection refused by ${endpoint}`
      return `TCP connect to ${endpoint} failed: ${detail}`
    case 'tls':
      if (code !== undefined && CERT_ERROR.test(code)) {
        return `TLS certificate of ${endpoint} rejected: ${detail} (set tlsVerify: false to accept it)`
      }
      return `TLS handshake with ${endpoint} failed: ${detail}`
    case 'send':
    case 'expect':
      return `connection to ${endpoint} failed: ${detail}`
  }
}

/** A short, quoted excerpt of what was read, for messages. */
export function excerpt(text: string, max = 120): string {
  if (text === '') return 'nothing'
  return text.length > max ? `${JSON.stringify(text.slice(0, max))}…` : JSON.stringify(text)
}
