import t from 'tap'
import { assertConfigRefused, assertNotifierSchema } from '@vedette/sdk/testing'
import type { RefusedConfig } from '@vedette/sdk/testing'
import { TELEGRAM_DEFAULTS, escapeAndCut, parseTelegramConfig } from './index.js'

const TOKEN = '123456789:AAH-secret_bot_token_0123456789abcdef'

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { name: 'telegram', required: ['botToken', 'chatId'], defaults: TELEGRAM_DEFAULTS, secrets: ['botToken'] })
})

t.test('defaults and the sendMessage URL', async (t) => {
  const config = parseTelegramConfig({ botToken: TOKEN, chatId: '@vedette_alerts' })
  t.equal(config.sendMessageUrl.href, `https://api.telegram.org/bot${TOKEN}/sendMessage`)
  t.equal(config.disableNotification, false)
  t.equal(config.timeoutMs, 10_000)
  t.equal(parseTelegramConfig({ botToken: TOKEN, chatId: 1, apiUrl: 'http://bot-api.internal:8081/' }).sendMessageUrl.href, `http://bot-api.internal:8081/bot${TOKEN}/sendMessage`)
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_TELEGRAM_INVALID_CONFIG without echoing the token', async (t) => {
  const cases: RefusedConfig[] = [
    [{ chatId: 1 }, /botToken is required/],
    [{ botToken: 'AAH-secret_bot_token_0123456789abcdef', chatId: 1 }, /does not look like a bot token/],
    [{ botToken: TOKEN }, /chatId must be a numeric chat id/],
    [{ botToken: TOKEN, chatId: 'my group' }, /chatId must be/],
    [{ botToken: TOKEN, chatId: 1, messageThreadId: 0 }, /messageThreadId must be a positive integer/],
    [{ botToken: TOKEN, chatId: 1, disableNotification: 'info' }, /disableNotification must be true, false or 'low-priority'/],
    [{ botToken: TOKEN, chatId: 1, apiUrl: 'api.telegram.org' }, /apiUrl is not a valid URL/],
    [{ botToken: TOKEN, chatId: 1, timeout: '10' }, /timeout must be a duration/],
    [{ botToken: TOKEN, chatId: 1, parseMode: 'MarkdownV2' }, /unknown option\(s\) 'parseMode'/]
  ]
  await assertConfigRefused(t, parseTelegramConfig, cases, { code: 'VDT_ERR_NOTIFIER_TELEGRAM_INVALID_CONFIG', secret: 'AAH-secret' })
})

t.test('escapeAndCut never splits an entity or a surrogate pair', async (t) => {
  t.equal(escapeAndCut('a & b', 100), 'a &amp; b')
  t.equal(escapeAndCut('a & b', 6), 'a …')
  t.equal(escapeAndCut('ab😀cd', 4), 'ab…')
  t.equal(escapeAndCut('ab😀cd', 5), 'ab😀…')
})
