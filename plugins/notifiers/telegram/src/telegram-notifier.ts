import { defineNotifier, describeBody, jsonHeaders, jsonObject, sendJson } from '@vedette/sdk'
import type { AnswerReading, HttpAnswer, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseTelegramConfig } from './config.js'
import type { TelegramNotifierConfig } from './config.js'
import { buildTelegramMessage } from './telegram-message.js'

const USER_AGENT = 'vedette-notifier-telegram'

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
  create(config) {
    const resolved = parseTelegramConfig(config)
    const { sendMessageUrl: url, timeout, timeoutMs, secrets } = resolved
    const headers = jsonHeaders(USER_AGENT)
    const read = (answer: HttpAnswer) => readAnswer(answer, resolved.chatId)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send: (notification, signal) =>
        sendJson({ url, payload: buildTelegramMessage(notification, resolved), dispatcher, headers, read, signal, timeout, timeoutMs, secrets }),
      stop: () => dispatcher.close()
    }
  }
})

/**
 * The Bot API answers `{ ok: true, result }` or `{ ok: false, error_code,
 * description, parameters?: { retry_after, migrate_to_chat_id } }`.
 */
function readAnswer(answer: HttpAnswer, chatId: string | number): AnswerReading {
  const { ok, result } = answer.fields
  if (answer.status >= 200 && answer.status < 300) {
    const id = jsonObject(result).message_id
    if (ok === true) return { detail: `sent message${typeof id === 'number' ? ` ${id}` : ''} to chat ${chatId}` }
    // A 2xx that is not a Bot API success (a captive portal, a wrong apiUrl): retrying will not change it.
    const why = explain(answer)
    return { detail: `answer without ok: true${why === '' ? '' : `: ${why}`}`, refused: true }
  }
  return { detail: explain(answer) }
}

function explain(answer: HttpAnswer): string {
  const { description, parameters } = answer.fields
  const { retry_after: retryAfter, migrate_to_chat_id: migrateTo } = jsonObject(parameters)
  const parts = [typeof description === 'string' ? description : describeBody(answer.text)]
  if (typeof retryAfter === 'number') parts.push(`retry after ${retryAfter}s`)
  if (typeof migrateTo === 'number') parts.push(`the group is now a supergroup: set chatId to ${migrateTo}`)
  if (answer.status === 401 || answer.status === 404) parts.push('check botToken')
  return parts.filter((p) => p !== '').join('; ')
}
