import { Agent } from 'undici'
import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { buildTeamsMessage } from './adaptive-card.js'
import { parseTeamsConfig } from './config.js'
import type { CompiledTeamsConfig, TeamsNotifierConfig } from './config.js'
import { deliverHttp } from './http-delivery.js'

export const USER_AGENT = 'vedette-notifier-teams'

/**
 * The Microsoft Teams notifier: one Adaptive Card per notification, posted to
 * a Workflows webhook (a grouped notification is one card listing its alerts).
 *
 * @example
 * const channel = await teamsNotifier.create({ url: process.env.TEAMS_WORKFLOW_URL }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const teamsNotifier: NotifierPlugin<TeamsNotifierConfig> = defineNotifier<TeamsNotifierConfig>({
  create(config) {
    return new TeamsChannel(parseTeamsConfig(config))
  }
})

class TeamsChannel implements NotifierInstance {
  readonly #config: CompiledTeamsConfig
  readonly #dispatcher = new Agent()
  readonly #secrets: string[]

  constructor(config: CompiledTeamsConfig) {
    this.#config = config
    // A Workflows URL is signed: `sig=` in its query is the credential.
    const sig = config.url.searchParams.get('sig')
    this.#secrets = [config.url.href, config.url.pathname + config.url.search, ...(sig === null ? [] : [sig]), ...Object.values(config.headers)]
  }

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
    let body: string
    try {
      body = JSON.stringify(buildTeamsMessage(notification))
    } catch (err) {
      return { ok: false, message: `notification could not be turned into an Adaptive Card: ${(err as Error).message}`, retryable: false }
    }
    // Workflows answers 202 Accepted once the flow run is queued; a failure
    // to post the card later shows in the flow's run history, not here.
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
