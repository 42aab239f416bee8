import { defineNotifier, jsonHeaders, sendJson, urlSecrets } from '@vedette/sdk'
import type { Notification, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseWebhookConfig } from './config.js'
import type { CompiledWebhookConfig, WebhookNotifierConfig } from './config.js'
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
    const resolved = parseWebhookConfig(config)
    const { url, method, timeout, timeoutMs } = resolved
    const secrets = [...urlSecrets(url), ...(resolved.secret === undefined ? [] : [resolved.secret]), ...Object.values(resolved.headers)]
    // A pool per channel: `stop` closes exactly the sockets this channel opened.
    const dispatcher = new Agent()
    return {
      send: (notification, signal) => {
        const headers = (body: string) => requestHeaders(notification, body, resolved)
        return sendJson({ url, method, payload: buildWebhookPayload(notification), dispatcher, headers, signal, timeout, timeoutMs, secrets })
      },
      stop: () => dispatcher.close()
    }
  }
})

/** The headers of one attempt: the receiver dedupes on the idempotency key and checks the signature over the exact body. */
function requestHeaders(notification: Notification, body: string, config: CompiledWebhookConfig): Record<string, string> {
  const headers = jsonHeaders(USER_AGENT, { ...config.headers, 'idempotency-key': notification.idempotencyKey, 'x-vedette-event': notification.event })
  if (config.secret !== undefined) {
    // Signed per attempt: a retry an hour later carries a fresh timestamp.
    const timestamp = Math.floor(Date.now() / 1000)
    headers[TIMESTAMP_HEADER] = String(timestamp)
    headers[SIGNATURE_HEADER] = signBody(body, config.secret, timestamp)
  }
  return headers
}
