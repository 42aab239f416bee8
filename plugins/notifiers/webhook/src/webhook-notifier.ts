import { Agent } from 'undici'
import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { parseWebhookConfig } from './config.js'
import type { CompiledWebhookConfig, WebhookNotifierConfig } from './config.js'
import { deliverHttp } from './http-delivery.js'
import { buildWebhookPayload } from './payload.js'
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from './signature.js'

export const USER_AGENT = 'vedette-notifier-webhook'

/**
 * The webhook notifier: one JSON request per notification (a grouped
 * notification is one request listing every alert).
 *
 * @example
 * const channel = await webhookNotifier.create({ url: 'https://ops.example/hooks/vedette', secret: process.env.HOOK_SECRET }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const webhookNotifier: NotifierPlugin<WebhookNotifierConfig> = defineNotifier<WebhookNotifierConfig>({
  create(config) {
    return new WebhookChannel(parseWebhookConfig(config))
  }
})

class WebhookChannel implements NotifierInstance {
  readonly #config: CompiledWebhookConfig
  // Our own pool, so `stop` closes exactly the sockets this channel opened.
  readonly #dispatcher = new Agent()
  readonly #secrets: string[]

  constructor(config: CompiledWebhookConfig) {
    this.#config = config
    this.#secrets = [
      config.url.href,
      config.url.pathname + config.url.search,
      ...(config.secret === undefined ? [] : [config.secret]),
      ...Object.values(config.headers)
    ]
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
    let body: string
    try {
      body = JSON.stringify(buildWebhookPayload(notification))
    } catch (err) {
      return { ok: false, message: `notification could not be turned into JSON: ${(err as Error).message}`, retryable: false }
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      ...this.#config.headers,
      'idempotency-key': notification.idempotencyKey,
      'x-vedette-event': notification.event
    }
    if (this.#config.secret !== undefined) {
      // Signed per attempt: a retry an hour later carries a fresh timestamp.
      const timestamp = Math.floor(Date.now() / 1000)
      headers[TIMESTAMP_HEADER] = String(timestamp)
      headers[SIGNATURE_HEADER] = signBody(body, this.#config.secret, timestamp)
    }
    return deliverHttp(
      {
        url: this.#config.url,
        method: this.#config.method,
        headers,
        body,
        timeoutMs: this.#config.timeoutMs,
        timeout: this.#config.timeout,
        secrets: this.#secrets,
        dispatcher: this.#dispatcher
      },
      signal
    )
  }

  async stop(): Promise<void> {
    await this.#dispatcher.close()
  }
}
