import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseDiscordConfig } from './config.js'
import type { DiscordNotifierConfig } from './config.js'
import { buildDiscordPayload } from './discord-payload.js'
import { postJson, statusFailure } from './post-json.js'
import type { JsonAnswer } from './post-json.js'

/**
 * Posts each notification as one message with one embed through a Discord
 * execute-webhook URL (`?wait=true`, so a 200 means the message exists).
 *
 * @example
 * const channel = await discordNotifier.create({ url: process.env.DISCORD_WEBHOOK_URL! }, ctx)
 * await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const discordNotifier: NotifierPlugin<DiscordNotifierConfig> = defineNotifier<DiscordNotifierConfig>({
  create(config): NotifierInstance {
    const resolved = parseDiscordConfig(config)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
        const result = await postJson({
          url: resolved.url,
          body: buildDiscordPayload(notification, resolved),
          dispatcher,
          signal,
          deadline: AbortSignal.timeout(resolved.timeoutMs),
          timeout: resolved.timeout,
          secrets: resolved.secrets
        })
        if (result.failure !== undefined) return result.failure
        const { answer } = result
        if (answer.status >= 200 && answer.status < 300) {
          const id = field(answer.json, 'id')
          return { ok: true, status: answer.status, message: `Discord posted message${typeof id === 'string' ? ` ${id}` : ''}` }
        }
        return statusFailure('Discord', answer, explain(answer), resolved.secrets)
      },
      async stop(): Promise<void> {
        await dispatcher.close()
      }
    }
  }
})

/**
 * Discord's error body: `{ message, code, errors? }`, and on 429
 * `{ message, retry_after (seconds), global }`.
 */
function explain(answer: JsonAnswer): string {
  const message = field(answer.json, 'message')
  const code = field(answer.json, 'code')
  const retryAfter = field(answer.json, 'retry_after')
  const parts: string[] = []
  if (typeof message === 'string') parts.push(typeof code === 'number' && code !== 0 ? `${message} (code ${code})` : message)
  else if (answer.text.trim() !== '') parts.push(answer.text.trim().slice(0, 200))
  const errors = field(answer.json, 'errors')
  if (errors !== undefined) parts.push(JSON.stringify(errors).slice(0, 300))
  if (typeof retryAfter === 'number') parts.push(`retry after ${retryAfter}s${field(answer.json, 'global') === true ? ' (global rate limit)' : ''}`)
  if (answer.status === 404) parts.push('the webhook was deleted or the URL is wrong')
  if (answer.status === 401) parts.push('the webhook token in the URL is wrong')
  return parts.join('; ')
}

function field(json: unknown, name: string): unknown {
  return json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[name] : undefined
}
