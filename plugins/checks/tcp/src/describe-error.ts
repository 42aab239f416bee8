import { describeNetworkError, networkErrorDetail } from '@vedette/sdk'
import type { ProbeStage } from './probe.js'

/** The fix a rejected certificate's message suggests, in this plugin's config terms. */
const CERTIFICATE_HINT = 'set tlsVerify: false to accept it'

/**
 * The `down` message for a socket error, by the stage it happened in.
 *
 * @example
 * describeSocketError('connect', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'db:5432')
 * // 'connection refused by db:5432'
 */
export function describeSocketError(stage: ProbeStage, err: Error, endpoint: string): string {
  switch (stage) {
    case 'dns':
    case 'connect':
    case 'tls':
      return describeNetworkError(err, { stage, endpoint, certificateHint: CERTIFICATE_HINT })
    case 'send':
    case 'expect':
      return `connection to ${endpoint} failed: ${networkErrorDetail(err)}`
  }
}

/** A short, quoted excerpt of what was read, for messages. */
export function excerpt(text: string, max = 120): string {
  if (text === '') return 'nothing'
  return text.length > max ? `${JSON.stringify(text.slice(0, max))}…` : JSON.stringify(text)
}
