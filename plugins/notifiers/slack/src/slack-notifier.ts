import { Agent } from 'undici'
import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { buildSlackMessage } from './blocks.js'
import { parseSlackConfig } from './config.js'
import type { CompiledSlackConfig, SlackNotifierConfig } from './config.js'
import { deliverHttp } from './http-delivery.js'

export const USER_AGENT = 'vedette-notifier-slack'

/**
 * The Slack notifier: one Block Kit message per notification through an
 * incoming webhook (a grouped notification is one message listing its alerts).
 *
 * @example
 * const channel = await slackNotifier.create({ url: process.env.SLACK_WEBHOOK_URL }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const slackNotifier: NotifierPlugin<SlackNotifierConfig> = defineNotifier<SlackNotifierConfig>({
  create(config) {
    return new SlackChannel(parseSlackConfig(config))
  }
})

class SlackChannel implements NotifierInstance {
  readonly #config: CompiledSlackConfig
  readonly #dispatcher = new Agent()
  readonly #secrets: string[]

  constructor(config: CompiledSlackConfig) {
    this.#config = config
    // The webhook URL's path is its credential (T…/B…/token).
    this.#secrets = [config.url.href, config.url.pathname + config.url.search, ...Object.values(config.headers)]
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
    let body: string
    try {
      body = JSON.stringify(buildSlackMessage(notification, this.#config))
    } catch (err) {
      return { ok: false, message: `notification could not be turned into a Slack message: ${(err as Error).message}`, retryable: false }
    }
    // Slack answers `200 ok`, or a 4xx with a plain-text reason
    // (invalid_payload, no_service, channel_is_archived, action_prohibited)
    // that the report quotes; those are not retried.
    return deliverHttp(
      {
        url: this.#config.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...this.#config.headers },
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
