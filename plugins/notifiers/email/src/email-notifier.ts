import { isIP } from 'node:net'
import { defineNotifier, redactSecrets } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { composeEmail } from './compose.js'
import type { ComposedEmail } from './compose.js'
import { parseEmailConfig } from './config.js'
import type { CompiledEmailConfig, EmailNotifierConfig } from './config.js'
import { smtpReport } from './smtp-report.js'
import { sendSmtp } from './smtp-send.js'

/**
 * The email notifier: one message (HTML and text alternatives) per
 * notification, to every address in `to`, over one SMTP session.
 *
 * @example
 * const channel = await emailNotifier.create({
 *   host: 'smtp.example.com', requireTLS: true, auth: { user: 'alerts', pass: process.env.SMTP_PASS },
 *   from: '"Vedette" <alerts@example.com>', to: ['oncall@example.com']
 * }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(60_000))
 */
export const emailNotifier: NotifierPlugin<EmailNotifierConfig> = defineNotifier<EmailNotifierConfig>({
  create(config) {
    return new EmailChannel(parseEmailConfig(config))
  }
})

class EmailChannel implements NotifierInstance {
  readonly #config: CompiledEmailConfig
  readonly #endpoint: string

  constructor(config: CompiledEmailConfig) {
    this.#config = config
    this.#endpoint = `${isIP(config.host) === 6 ? `[${config.host}]` : config.host}:${config.port}`
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
    let mail: ComposedEmail
    try {
      mail = await composeEmail(notification, this.#config)
    } catch (err) {
      return { ok: false, message: `notification could not be turned into an email: ${(err as Error).message}`, retryable: false }
    }
    const report = smtpReport(await sendSmtp(this.#config, mail, signal), this.#endpoint, this.#config.timeout)
    // Some servers quote the AUTH exchange in their error replies.
    const pass = this.#config.auth?.pass
    return pass === undefined || report.message === undefined ? report : { ...report, message: redactSecrets(report.message, [pass]) }
  }
}
