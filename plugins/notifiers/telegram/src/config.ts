import { configOptions, credentialOption, parseUrlOption, timeoutOption } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import { InvalidTelegramConfigError } from './errors.js'

/** The channel's options (schema: `vedette.configSchema` in package.json). */
export interface TelegramNotifierConfig {
  /** Bot API base URL. Default `https://api.telegram.org` (or a self-hosted Bot API server). */
  apiUrl?: string
  /** The token @BotFather gave the bot, `123456:ABC-...`. Secret: it is part of every request path. */
  botToken: string
  /** Target chat: a numeric id (groups are negative, supergroups and channels `-100...`) or `@channelusername`. */
  chatId: string | number
  /** Forum topic of a supergroup to post into. */
  messageThreadId?: number
  /** Send silently: `true` always, `'low-priority'` for info severity, acknowledgements, recoveries and tests. Default false. */
  disableNotification?: boolean | 'low-priority'
  /** How long one delivery attempt may take: `<n>ms`, `<n>s` or `<n>m`. Default `10s`. */
  timeout?: string
}

/** The config as the channel uses it: checked, defaults applied. */
export interface ResolvedTelegramConfig extends TimeoutOption {
  /** `<apiUrl>/bot<token>/sendMessage`: never shown, it holds the token. */
  sendMessageUrl: URL
  chatId: string | number
  messageThreadId?: number
  disableNotification: boolean | 'low-priority'
  secrets: string[]
}

export const TELEGRAM_DEFAULTS = { apiUrl: 'https://api.telegram.org', disableNotification: false, timeout: '10s' } as const

const KNOWN = ['apiUrl', 'botToken', 'chatId', 'messageThreadId', 'disableNotification', 'timeout']
const TOKEN = /^[0-9]+:[A-Za-z0-9_-]+$/
const CHAT_ID = /^(-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,})$/

/**
 * Checks again what the schema says (the plugin can be created directly, by
 * tests or embedders) and what it cannot. Never echoes the bot token.
 *
 * @throws VDT_ERR_NOTIFIER_TELEGRAM_INVALID_CONFIG listing every problem
 */
export function parseTelegramConfig(config: unknown): ResolvedTelegramConfig {
  const problems: string[] = []
  const input = configOptions(config, KNOWN, problems)
  const botToken = credentialOption(input.botToken, 'botToken', 'the token @BotFather gave the bot', problems)
  if (botToken !== undefined && !TOKEN.test(botToken)) problems.push("botToken does not look like a bot token ('<digits>:<letters, digits, - and _>')")
  const chatId = input.chatId
  if (!((typeof chatId === 'number' && Number.isSafeInteger(chatId)) || (typeof chatId === 'string' && CHAT_ID.test(chatId)))) {
    problems.push('chatId must be a numeric chat id (e.g. -1001234567890) or @channelusername')
  }
  const api = parseUrlOption(input.apiUrl ?? TELEGRAM_DEFAULTS.apiUrl, problems, { name: 'apiUrl', secret: false, base: true })
  const thread = input.messageThreadId
  if (thread !== undefined && !(typeof thread === 'number' && Number.isSafeInteger(thread) && thread > 0)) {
    problems.push('messageThreadId must be a positive integer')
  }
  const silent = input.disableNotification ?? TELEGRAM_DEFAULTS.disableNotification
  if (typeof silent !== 'boolean' && silent !== 'low-priority') problems.push(`disableNotification must be true, false or 'low-priority'`)
  const timeout = timeoutOption(input.timeout, TELEGRAM_DEFAULTS.timeout, problems)
  if (problems.length > 0 || botToken === undefined || api === undefined || timeout === undefined) throw new InvalidTelegramConfigError(problems.join('; '))

  return {
    sendMessageUrl: new URL(`${api.origin}${api.pathname.replace(/\/+$/, '')}/bot${botToken}/sendMessage`),
    chatId: chatId as string | number,
    ...(thread === undefined ? {} : { messageThreadId: thread as number }),
    disableNotification: silent as boolean | 'low-priority',
    ...timeout,
    secrets: [botToken]
  }
}
