import { createHash } from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type Mail from 'nodemailer/lib/mailer/index.js'
import type { Notification, NotificationAlert } from '@vedette/sdk'
import type { CompiledEmailConfig } from './config.js'

/** A message ready for SMTP: the envelope and the RFC 5322 bytes. */
export interface ComposedEmail {
  messageId: string
  envelope: { from: string | false; to: string[] }
  raw: Buffer
}

// Threads reference at most this many alert roots (a grouped notification).
const MAX_REFERENCES = 20

/**
 * The mail options for a notification. Threading, without any state:
 * - `Message-ID` is a hash of the idempotency key, so a retried attempt is
 *   the same message (servers and clients that dedupe on it drop the copy);
 * - `References` / `In-Reply-To` name a root id derived from each alert's
 *   dedupKey and start time, the same for firing, reminders, escalation,
 *   acknowledgement and resolution of one incident: clients that thread on
 *   References (Thunderbird, Apple Mail, Gmail with a matching subject) show
 *   one conversation per incident. A new incident of the same rule starts a new one.
 */
export function mailOptions(notification: Notification, config: CompiledEmailConfig): Mail.Options {
  const domain = config.fromDomain
  const roots = notification.alerts.slice(0, MAX_REFERENCES).map((a) => incidentRoot(a, domain))
  return {
    from: config.from,
    to: config.to,
    subject: config.subjectPrefix === '' ? notification.title : `${config.subjectPrefix} ${notification.title}`,
    text: notification.text,
    html: notification.html ?? minimalHtml(notification.title, notification.text),
    messageId: `<vedette.${hash(notification.idempotencyKey)}@${domain}>`,
    ...(roots.length === 0 ? {} : { inReplyTo: roots[0], references: roots }),
    date: new Date(notification.createdAt),
    headers: {
      // RFC 3834: no vacation replies or bounces-to-robots loops.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Vedette-Event': notification.event,
      'X-Vedette-Idempotency-Key': notification.idempotencyKey
    }
  }
}

export async function composeEmail(notification: Notification, config: CompiledEmailConfig): Promise<ComposedEmail> {
  const options = mailOptions(notification, config)
  const node = new MailComposer(options).compile()
  const envelope = node.getEnvelope()
  return { messageId: options.messageId as string, envelope: { from: envelope.from, to: envelope.to }, raw: await node.build() }
}

/** The thread root of one incident: same id for every notification about it. */
export function incidentRoot(alert: NotificationAlert, domain: string): string {
  return `<vedette.incident.${hash(`${alert.dedupKey}\n${alert.startedAt}`)}@${domain}>`
}

/** The plain text as HTML, for when the channel has no HTML template. */
export function minimalHtml(title: string, text: string): string {
  return (
    '<!doctype html>\n<html><head><meta charset="utf-8"><title>' + escapeHtml(title) + '</title></head>\n' +
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5">\n' +
    '<p>' + escapeHtml(text).replace(/\r?\n/g, '<br>\n') + '</p>\n</body></html>\n'
  )
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32)
}
