import { defineNotifier, jsonHeaders, sendJson, urlSecrets } from '@vedette/sdk'
import type { NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { buildTeamsMessage } from './adaptive-card.js'
import { parseTeamsConfig } from './config.js'
import type { TeamsNotifierConfig } from './config.js'

export const USER_AGENT = 'vedette-notifier-teams'

/**
 * The Microsoft Teams notifier: one Adaptive Card per notification, posted to
 * a Workflows webhook (a grouped notification is one card listing its alerts).
 * Workflows answers 202 Accepted once the flow run is queued; a failure to
 * post the card later shows in the flow's run history, not here.
 *
 * @example
 * const channel = await teamsNotifier.create({ url: process.env.TEAMS_WORKFLOW_URL }, ctx)
 * const report = await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const teamsNotifier: NotifierPlugin<TeamsNotifierConfig> = defineNotifier<TeamsNotifierConfig>({
  create(config) {
    const resolved = parseTeamsConfig(config)
    const { url, timeout, timeoutMs } = resolved
    const headers = jsonHeaders(USER_AGENT, resolved.headers)
    // A Workflows URL is signed: `sig=` in its query is the credential.
    const secrets = [...urlSecrets(url), ...Object.values(resolved.headers)]
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send: (notification, signal) => sendJson({ url, payload: buildTeamsMessage(notification), dispatcher, headers, signal, timeout, timeoutMs, secrets }),
      stop: () => dispatcher.close()
    }
  }
})
