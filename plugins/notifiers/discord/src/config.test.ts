import t from 'tap'
import { assertConfigRefused, assertNotifierSchema } from '@vedette/sdk/testing'
import { DISCORD_DEFAULTS, parseDiscordConfig } from './index.js'

const URL_WITH_TOKEN = 'https://discord.com/api/webhooks/123456789012345678/secret-token-value-0123456789'

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { name: 'discord', required: ['url'], defaults: DISCORD_DEFAULTS, secrets: ['url'] })
})

t.test('defaults', async (t) => {
  const config = parseDiscordConfig({ url: URL_WITH_TOKEN })
  t.equal(config.url.href, `${URL_WITH_TOKEN}?wait=true`)
  t.equal(config.timeoutMs, 10_000)
  t.same(config.mentionRoleIds, [])
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG without echoing the URL', async (t) => {
  await assertConfigRefused(
    t,
    parseDiscordConfig,
    [
      [{}, /url is required/],
      [{ url: 'not a url secret-token-value' }, /url is not a valid URL$/],
      [{ url: 'ftp://discord.com/x' }, /url must be http: or https:, got ftp:/],
      [{ url: URL_WITH_TOKEN, username: 'Discord alerts' }, /must not contain 'discord'/],
      [{ url: URL_WITH_TOKEN, timeout: '10 seconds' }, /timeout must be a duration/],
      [{ url: URL_WITH_TOKEN, timeout: '0s' }, /timeout must be a duration/],
      [{ url: URL_WITH_TOKEN, mentionRoleIds: ['@everyone'] }, /mentionRoleIds must be a list of Discord ids/],
      [{ url: URL_WITH_TOKEN, threadId: 'general' }, /threadId must be a Discord id/],
      [{ url: URL_WITH_TOKEN, webhook: 'x' }, /unknown option\(s\) 'webhook'/]
    ],
    { code: 'VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG', secret: 'secret-token-value' }
  )
})
