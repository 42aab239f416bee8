import { reportForNoAnswer } from '@vedette/sdk'
import type { DeliveryReport } from '@vedette/sdk'
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'
import type { SmtpOutcome } from './smtp-send.js'

// nodemailer codes for failures where the server never said anything useful
// and the message or the config is at fault: another attempt fails the same way.
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'EREQUIRETLS'])
const SYSTEM_CODE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/
// OpenSSL's and Node's wording for a certificate that did not verify.
const CERTIFICATE = /certificate|self[- ]signed|altnames/i

/**
 * SMTP's own rule decides: a 5xx reply is permanent (bad credentials,
 * unknown sender or recipient, message refused), a 4xx reply is temporary
 * (greylisting, mailbox busy, rate limit). Failures without a reply
 * (refused, reset, DNS, TLS, timeouts) are retried, like the HTTP notifiers do.
 *
 * @param endpoint `host:port`, for messages.
 * @param timeout the `timeout` as configured (`30s`), for messages.
 */
export function smtpReport(outcome: SmtpOutcome, endpoint: string, timeout: string): DeliveryReport {
  if (outcome.sent) {
    const { info } = outcome
    const status = replyCode(info.response) ?? 250
    let message = `${endpoint} accepted the message for ${plural(info.accepted.length, 'recipient')}: ${oneLine(info.response)}`
    // Some recipients got it: a retry would send them a duplicate, so this stays ok.
    if (info.rejected.length > 0) message += `; rejected ${info.rejected.join(', ')}`
    return { ok: true, status, message }
  }
  // The same report as every notifier's for an attempt cut short by the engine or by `timeout`.
  if (outcome.cause !== 'smtp') return reportForNoAnswer({ cause: outcome.cause, endpoint, timeout })

  const error: SMTPConnection.SMTPError = outcome.error
  const code = error.responseCode
  if (typeof code === 'number') {
    const command = error.command === undefined || error.command === 'CONN' ? 'the connection' : error.command
    return {
      ok: false,
      status: code,
      message: `${endpoint} refused ${command}: ${oneLine(error.response ?? error.message)}`,
      retryable: code < 500
    }
  }
  // nodemailer files socket errors under its own code (ESOCKET, ECONNECTION)
  // and keeps the system code only in the message: dig it out for `status`.
  const detail = oneLine(error.message)
  const errno = SYSTEM_CODE.exec(error.message)?.[1]
  const kind = error.code ?? 'ESMTP'
  let message: string
  if (CERTIFICATE.test(detail)) {
    message = `TLS certificate of ${endpoint} rejected: ${detail} (trust it with tls.ca, or set tls.rejectUnauthorized: false)`
  } else if (errno === 'ECONNREFUSED') {
    message = `connection refused by ${endpoint}`
  } else {
    message = `${describeKind(kind)} ${endpoint} failed: ${detail}`
  }
  return { ok: false, status: errno ?? kind, message, retryable: !PERMANENT_CODES.has(kind) }
}

function describeKind(code: string): string {
  switch (code) {
    case 'ETLS':
      return 'TLS with'
    case 'EAUTH':
      return 'authentication with'
    case 'EDNS':
      return 'DNS lookup for'
    default:
      return 'SMTP delivery to'
  }
}

/** The reply code of an SMTP response line (`250 2.0.0 Ok` → 250). */
function replyCode(response: string | undefined): number | undefined {
  const match = /^([2-5][0-9]{2})\b/.exec(response ?? '')
  return match === null ? undefined : Number(match[1])
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 299)}…` : line
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
