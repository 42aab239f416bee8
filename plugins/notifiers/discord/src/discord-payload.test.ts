import t from 'tap'
import { DISCORD_LIMITS, MAX_LISTED_ALERTS, SEVERITY_COLORS, buildDiscordPayload } from './index.js'
import type { DiscordPayload } from './index.js'
import { alertFixture, groupedFixture, notificationFixture } from '@vedette/sdk/testing'

const options = { mentionRoleIds: [], mentionUserIds: [] }

function embedChars(payload: DiscordPayload): number {
  const e = payload.embeds[0]!
  return e.title.length + (e.description?.length ?? 0) + e.footer.text.length + e.fields.reduce((s, f) => s + f.name.length + f.value.length, 0)
}

t.test('long title and text are cut to Discord limits', async (t) => {
  const payload = buildDiscordPayload(notificationFixture({ title: 'T'.repeat(1000), text: 'x'.repeat(10_000) }), options)
  const embed = payload.embeds[0]!
  t.equal(embed.title.length, DISCORD_LIMITS.title)
  t.ok(embed.title.endsWith('…'))
  t.ok((embed.description ?? '').length <= DISCORD_LIMITS.description)
  t.ok(embedChars(payload) <= DISCORD_LIMITS.total, 'whole message within 6000 characters')
})

t.test('a large group lists 20 alerts and counts the rest', async (t) => {
  const payload = buildDiscordPayload(groupedFixture(30), options)
  const fields = payload.embeds[0]!.fields
  t.ok(fields.length <= DISCORD_LIMITS.fields)
  t.equal(fields.length, MAX_LISTED_ALERTS + 1)
  t.equal(fields.at(-1)!.name, 'And 10 more alerts')
  t.ok(embedChars(payload) <= DISCORD_LIMITS.total)
})

t.test('huge alert summaries and text still fit in 6000 characters', async (t) => {
  const alerts = Array.from({ length: 25 }, (_, i) => alertFixture(i + 1, { monitorName: 'M'.repeat(500), summary: 's'.repeat(5000) }))
  const payload = buildDiscordPayload(notificationFixture({ alerts, text: 'x'.repeat(5000) }), options)
  const fields = payload.embeds[0]!.fields
  t.ok(embedChars(payload) <= DISCORD_LIMITS.total, `${embedChars(payload)} characters`)
  for (const f of fields) t.ok(f.name.length <= DISCORD_LIMITS.fieldName && f.value.length <= DISCORD_LIMITS.fieldValue)
  t.match(fields.at(-1)!.name, /^And \d+ more alerts$/)
  t.ok((payload.embeds[0]!.description ?? '').length >= 1000, 'the rendered text keeps its room')
})

t.test('markdown in monitor names is escaped, code spans keep assertions readable', async (t) => {
  const alert = alertFixture(1, { monitorName: 'api_v2_*health*' })
  const payload = buildDiscordPayload(notificationFixture({ alerts: [alert] }), options)
  t.equal(payload.embeds[0]!.fields[0]!.value, 'api\\_v2\\_\\*health\\*')
})

t.test('a test notification has no fields and the info color', async (t) => {
  const payload = buildDiscordPayload(notificationFixture({ event: 'test', severity: 'info', alerts: [], title: 'Test from Vedette', text: 'It works.' }), options)
  t.same(payload.embeds[0]!.fields, [])
  t.equal(payload.embeds[0]!.color, SEVERITY_COLORS.info)
})

t.test('an empty text leaves description out (Discord refuses empty strings)', async (t) => {
  const payload = buildDiscordPayload(notificationFixture({ text: '' }), options)
  t.notOk('description' in payload.embeds[0]!)
})
