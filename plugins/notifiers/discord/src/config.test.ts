import { readFileSync } from 'node:fs'
import t from 'tap'
import { DISCORD_DEFAULTS, parseDiscordConfig } from './index.js'

interface SchemaProperty {
  description?: string
  default?: unknown
  writeOnly?: boolean
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, SchemaProperty> } }
}
const schema = pkg.vedette.configSchema
const URL_WITH_TOKEN = 'https://discord.com/api/webhooks/123456789012345678/secret-token-value-0123456789'

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(pkg.vedette.name, 'discord')
  t.equal(schema.additionalProperties, false)
  t.same(schema.required, ['url'])
  for (const [name, prop] of Object.entries(schema.properties)) {
    t.ok(typeof prop.description === 'string' && prop.description.length > 10, `${name} has a description`)
  }
  t.equal(schema.properties.url?.writeOnly, true, 'the webhook URL is marked as a secret')
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, DISCORD_DEFAULTS)
})

t.test('defaults', async (t) => {
  const config = parseDiscordConfig({ url: URL_WITH_TOKEN })
  t.equal(config.url.href, `${URL_WITH_TOKEN}?wait=true`)
  t.equal(config.timeoutMs, 10_000)
  t.same(config.mentionRoleIds, [])
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG without echoing the URL', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /url is required/],
    [{ url: 'not a url secret-token-value' }, /url is not a valid URL$/],
    [{ url: 'ftp://discord.com/x' }, /url must be an http\(s\) URL/],
    [{ url: URL_WITH_TOKEN, username: 'Discord alerts' }, /must not contain 'discord'/],
    [{ url: URL_WITH_TOKEN, timeout: '10 seconds' }, /timeout must be a duration/],
    [{ url: URL_WITH_TOKEN, timeout: '0s' }, /timeout must be a duration/],
    [{ url: URL_WITH_TOKEN, mentionRoleIds: ['@everyone'] }, /mentionRoleIds must be a list of Discord ids/],
    [{ url: URL_WITH_TOKEN, threadId: 'general' }, /threadId must be a Discord id/],
    [{ url: URL_WITH_TOKEN, webhook: 'x' }, /unknown option\(s\) 'webhook'/]
  ]
  for (const [config, message] of cases) {
    const err = t.throws(() => parseDiscordConfig(config)) as { code?: string; message?: string }
    t.equal(err.code, 'VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG')
    t.match(err.message, message)
    t.notMatch(err.message, /secret-token-value/)
  }
})
