import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'
import type { CompiledEmailConfig } from './config.js'
import type { ComposedEmail } from './compose.js'

export type SmtpOutcome =
  | { sent: true; info: SMTPConnection.SentMessageInfo }
  | { sent: false; error: SMTPConnection.SMTPError; cause: 'smtp' | 'aborted' | 'timeout' }

/**
 * One SMTP session: connect (implicit TLS or STARTTLS), AUTH when
 * configured, MAIL/RCPT/DATA, close. It drives nodemailer's SMTPConnection
 * rather than `transport.sendMail` because the transport gives no handle on
 * its connection: an aborted signal could not close it, and a message could
 * still go out after we reported the attempt failed (and the outbox sent it again).
 */
export function sendSmtp(config: CompiledEmailConfig, mail: ComposedEmail, signal: AbortSignal): Promise<SmtpOutcome> {
  return new Promise((resolve) => {
    const connection = new SMTPConnection({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.requireTLS,
      tls: { rejectUnauthorized: config.tls.rejectUnauthorized, ...(config.tls.ca === undefined ? {} : { ca: config.tls.ca }) },
      logger: false
    })
    // One deadline for the whole session; nodemailer's per-phase timers are
    // longer and are cleared when `finish` closes the connection.
    const deadline = AbortSignal.timeout(config.timeoutMs)
    let settled = false
    const finish = (outcome: SmtpOutcome): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      deadline.removeEventListener('abort', onDeadline)
      // An abandoned session is cut at once (close() alone sends FIN and
      // waits for a server that may never answer); a cut DATA is not delivered.
      if (!outcome.sent && outcome.cause !== 'smtp') connection._socket?.destroy()
      connection.close()
      resolve(outcome)
    }
    const onAbort = (): void => finish({ sent: false, error: new Error('aborted'), cause: 'aborted' })
    const onDeadline = (): void => finish({ sent: false, error: new Error('timed out'), cause: 'timeout' })
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    deadline.addEventListener('abort', onDeadline, { once: true })

    connection.on('error', (error) => finish({ sent: false, error, cause: 'smtp' }))
    // The server hung up without an error (after a 421, say).
    connection.once('end', () => finish({ sent: false, error: Object.assign(new Error('the server closed the connection'), { code: 'ECONNECTION' }), cause: 'smtp' }))

    const deliver = (): void => {
      connection.send(mail.envelope, mail.raw, (error, info) => {
        if (error) finish({ sent: false, error, cause: 'smtp' })
        else {
          // QUIT politely; `finish` closes the socket right after.
          connection.quit()
          finish({ sent: true, info })
        }
      })
    }
    try {
      connection.connect((error) => {
        if (error) return finish({ sent: false, error, cause: 'smtp' })
        if (config.auth === undefined) return deliver()
        connection.login({ credentials: { user: config.auth.user, pass: config.auth.pass } }, (err) => {
          if (err) finish({ sent: false, error: err, cause: 'smtp' })
          else deliver()
        })
      })
    } catch (error) {
      // nodemailer throws synchronously for options it cannot use (a malformed CA, say).
      finish({ sent: false, error: error as SMTPConnection.SMTPError, cause: 'smtp' })
    }
  })
}
