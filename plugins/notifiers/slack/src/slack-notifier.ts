import { defineNotifier, jsonHeaders, sendJson, urlSecrets } from '@vedette/sdk'
import type { NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { buildSlackMessage } from './blocks.js'
import { parseSlackConfig } from './config.js'
import type { SlackNotifierConfig } from './config.js'

export const USER_AGENT = 'vedette-notifier-slack'

/**
 * The Slack notifier: one Block Kit message per notification through an
 * incoming webhook (a grouped notification is one message listing its alerts).
 * Slack answers `200 ok`, or a 4xx with a plain-text reason (invalid_payload,
 * no_service, channel_is_archived, action_prohibited) that the report quotes;
 * those are not retried.
 *
 * @example
 * const channel = await slackNotifier.create({ url: process.env.SLACK_WEBHOOK_URL }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const slackNotifier: NotifierPlugin<SlackNotifierConfig> = defineNotifier<SlackNotifierConfig>({
  create(config) {
    const resolved = parseSlackConfig(config)
    const { url, timeout, timeoutMs } = resolved
    const headers = jsonHeaders(USER_AGENT, resolved.headers)
    // The webhook URL's path is its credential (T…/B…/token).
    const secrets = [...urlSecrets(url), ...Object.values(resolved.headers)]
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send: (notification, signal) => sendJson({ url, payload: buildSlackMessage(notification, resolved), dispatcher, headers, signal, timeout, timeoutMs, secrets }),
      stop: () => dispatcher.close()
    }
  }
})
