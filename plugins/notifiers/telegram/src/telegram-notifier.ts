import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseTelegramConfig } from './config.js'
import type { TelegramNotifierConfig } from './config.js'
import { postJson, statusFailure } from './post-json.js'
import type { JsonAnswer } from './post-json.js'
import { scrub } from './redact.js'
import { buildTelegramMessage } from './telegram-message.js'

/**
 * Sends each notification as one HTML message through the Bot API's
 * sendMessage. The bot token is part of the request path, so the URL is
 * never shown: reports name the endpoint by scheme and host.
 *
 * @example
 * const channel = await telegramNotifier.create({ botToken: process.env.TELEGRAM_BOT_TOKEN!, chatId: -1001234567890 }, ctx)
 * await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const telegramNotifier: NotifierPlugin<TelegramNotifierConfig> = defineNotifier<TelegramNotifierConfig>({
  create(config): NotifierInstance {
    const resolved = parseTelegramConfig(config)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
        const result = await postJson({
          url: resolved.sendMessageUrl,
          body: buildTelegramMessage(notification, resolved),
          dispatcher,
          signal,
          deadline: AbortSignal.timeout(resolved.timeoutMs),
          timeout: resolved.timeout,
          secrets: resolved.secrets
        })
        if (result.failure !== undefined) return result.failure
        return report(result.answer, resolved.chatId, resolved.secrets)
      },
      async stop(): Promise<void> {
        await dispatcher.close()
      }
    }
  }
})

/**
 * The Bot API answers `{ ok: true, result }` or `{ ok: false, error_code,
 * description, parameters?: { retry_after, migrate_to_chat_id } }`.
 */
function report(answer: JsonAnswer, chatId: string | number, secrets: readonly string[]): DeliveryReport {
  const body = record(answer.json)
  if (answer.status >= 200 && answer.status < 300) {
    if (body.ok === true) {
      const id = record(body.result).message_id
      return { ok: true, status: answer.status, message: `Telegram sent message${typeof id === 'number' ? ` ${id}` : ''} to chat ${chatId}` }
    }
    // A 2xx that is not a Bot API success (a captive portal, a wrong apiUrl): retrying will not change it.
    return { ok: false, status: answer.status, message: scrub(`Telegram answered ${answer.status} without ok: true: ${explain(answer)}`, secrets), retryable: false }
  }
  return statusFailure('Telegram', answer, explain(answer), secrets)
}

function explain(answer: JsonAnswer): string {
  const body = record(answer.json)
  const parameters = record(body.parameters)
  const parts: string[] = []
  if (typeof body.description === 'string') parts.push(body.description)
  else if (answer.text.trim() !== '') parts.push(answer.text.trim().slice(0, 200))
  if (typeof parameters.retry_after === 'number') parts.push(`retry after ${parameters.retry_after}s`)
  if (typeof parameters.migrate_to_chat_id === 'number') parts.push(`the group is now a supergroup: set chatId to ${parameters.migrate_to_chat_id}`)
  if (answer.status === 401 || answer.status === 404) parts.push('check botToken')
  return parts.join('; ')
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}
