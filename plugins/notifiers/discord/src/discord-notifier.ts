import { defineNotifier, describeBody, jsonHeaders, sendJson } from '@vedette/sdk'
import type { AnswerReading, HttpAnswer, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseDiscordConfig } from './config.js'
import type { DiscordNotifierConfig } from './config.js'
import { buildDiscordPayload } from './discord-payload.js'

const USER_AGENT = 'vedette-notifier-discord'

/**
 * Posts each notification as one message with one embed through a Discord
 * execute-webhook URL (`?wait=true`, so a 200 means the message exists).
 *
 * @example
 * const channel = await discordNotifier.create({ url: process.env.DISCORD_WEBHOOK_URL! }, ctx)
 * await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const discordNotifier: NotifierPlugin<DiscordNotifierConfig> = defineNotifier<DiscordNotifierConfig>({
  create(config) {
    const resolved = parseDiscordConfig(config)
    const { url, timeout, timeoutMs, secrets } = resolved
    const headers = jsonHeaders(USER_AGENT)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send: (notification, signal) =>
        sendJson({ url, payload: buildDiscordPayload(notification, resolved), dispatcher, headers, read: readAnswer, signal, timeout, timeoutMs, secrets }),
      stop: () => dispatcher.close()
    }
  }
})

/**
 * Discord answers the created message (`{ id, ... }`), or an error body
 * `{ message, code, errors? }`, and on 429 `{ message, retry_after (seconds), global }`.
 */
function readAnswer(answer: HttpAnswer): AnswerReading {
  const { id, message, code, errors, retry_after: retryAfter, global } = answer.fields
  if (answer.status >= 200 && answer.status < 300) return { detail: `posted message${typeof id === 'string' ? ` ${id}` : ''}` }
  const parts: string[] = []
  if (typeof message === 'string') parts.push(typeof code === 'number' && code !== 0 ? `${message} (code ${code})` : message)
  else parts.push(describeBody(answer.text))
  if (errors !== undefined) parts.push(JSON.stringify(errors).slice(0, 300))
  if (typeof retryAfter === 'number') parts.push(`retry after ${retryAfter}s${global === true ? ' (global rate limit)' : ''}`)
  if (answer.status === 404) parts.push('the webhook was deleted or the URL is wrong')
  if (answer.status === 401) parts.push('the webhook token in the URL is wrong')
  return { detail: parts.filter((p) => p !== '').join('; ') }
}
