import type { DeliveryReport, Notification } from '@vedette/sdk'
import { groupedFixture, httpNotifierConformance, jsonReply, notificationFixture, notificationReceiver, notifierChannel, resolvedFixture } from '@vedette/sdk/testing'
import type { Reply } from '@vedette/sdk/testing'
import t from 'tap'
import type { Test } from 'tap'
import discordNotifier, { RESOLVED_COLOR, SEVERITY_COLORS } from './index.js'
import type { DiscordNotifierConfig, DiscordPayload } from './index.js'

const TOKEN = 'Zx9-webhook-token-that-must-never-leak_0123456789'
const WEBHOOK_PATH = `/api/webhooks/123456789012345678/${TOKEN}`

const channel = (t: Test, config: DiscordNotifierConfig) => notifierChannel(t, discordNotifier, config)

/** Sends `notification` to a receiver answering with `reply`; returns the report and what arrived. */
async function deliver(t: Test, notification: Notification, reply: Reply, config: Partial<DiscordNotifierConfig> = {}) {
  const rx = await notificationReceiver(t, reply)
  const instance = await channel(t, { url: rx.base + WEBHOOK_PATH, ...config })
  const report = await instance.send(notification, new AbortController().signal)
  return { report, rx, payload: rx.requests[0]?.json as DiscordPayload }
}

const posted = jsonReply(200, { id: '987654321098765432', type: 0, content: '' })

function assertNoSecret(t: Test, report: DeliveryReport): void {
  const text = JSON.stringify(report)
  t.notOk(text.includes(TOKEN), 'the webhook token is not in the report')
  t.notOk(text.includes('/api/webhooks'), 'the webhook path is not in the report')
}

t.test('a firing alert is one execute-webhook POST with one embed', async (t) => {
  const { report, rx, payload } = await deliver(t, notificationFixture({ text: 'down, cc @everyone' }), posted)
  t.same(report, { ok: true, status: 200, message: `HTTP 200 from ${rx.base}: posted message 987654321098765432` })
  t.equal(rx.requests.length, 1)
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, `${WEBHOOK_PATH}?wait=true`, 'wait=true so a 200 means the message exists')
  t.match(req.headers['content-type'], /^application\/json/)
  t.same(payload.allowed_mentions, { parse: [] }, 'nothing in alert text can ping')
  t.notOk('content' in payload, 'no content without configured mentions')
  t.equal(payload.embeds.length, 1)
  const embed = payload.embeds[0]!
  t.equal(embed.title, '[critical] API health 1 is down')
  t.equal(embed.description, 'down, cc @everyone')
  t.equal(embed.color, SEVERITY_COLORS.critical)
  t.ok(Number.isInteger(embed.color))
  t.equal(embed.timestamp, new Date(notificationFixture().createdAt).toISOString())
  t.equal(embed.url, 'https://vedette.example/api/v1/alerts/alert-1')
  t.equal(embed.footer.text, 'Vedette · firing')
  t.match(embed.fields, [
    { name: 'Monitor', value: 'API health 1', inline: true },
    { name: 'Severity', value: 'critical', inline: true },
    { name: 'Monitor status', value: 'down', inline: true },
    { name: 'Failed assertions', value: /`status in 200\.\.299` \(got 503\)/ }
  ])
  for (const f of embed.fields) t.ok(typeof f.name === 'string' && f.name.length > 0 && typeof f.value === 'string' && f.value.length > 0)
})

t.test('a resolved alert is green and pings nobody even with mentions configured', async (t) => {
  const { report, payload } = await deliver(t, resolvedFixture(), posted, { mentionRoleIds: ['111111111111111111'] })
  t.equal(report.ok, true)
  const embed = payload.embeds[0]!
  t.equal(embed.color, RESOLVED_COLOR)
  t.equal(embed.title, 'API health 1 recovered')
  t.equal(embed.footer.text, 'Vedette · resolved')
  t.notOk('content' in payload)
  t.same(payload.allowed_mentions, { parse: [] })
  t.notOk(embed.fields.some((f) => f.name === 'Failed assertions'), 'no failed assertions once resolved')
})

t.test('a grouped notification is one message with a field per alert', async (t) => {
  const { report, rx, payload } = await deliver(t, groupedFixture(3), posted)
  t.equal(report.ok, true)
  t.equal(rx.requests.length, 1, 'one message for the group')
  const embed = payload.embeds[0]!
  t.equal(embed.title, '3 alerts firing')
  t.notOk('url' in embed, 'no single alert to link the title to')
  t.same(embed.fields.map((f) => f.name), ['API health 1', 'API health 2', 'API health 3'])
  t.match(embed.fields[0]!.value, /\*\*critical\*\* · firing · monitor down/)
  t.match(embed.fields[1]!.value, /\*\*warning\*\*/)
  t.match(embed.fields[2]!.value, /\[Open alert\]\(https:\/\/vedette\.example\/api\/v1\/alerts\/alert-3\)/)
})

t.test('configured mentions ping on firing, and only those ids may ping', async (t) => {
  const { payload } = await deliver(t, notificationFixture(), posted, { mentionRoleIds: ['111111111111111111'], mentionUserIds: ['222222222222222222'] })
  t.equal(payload.content, '<@&111111111111111111> <@222222222222222222>')
  t.same(payload.allowed_mentions, { parse: [], roles: ['111111111111111111'], users: ['222222222222222222'] })
})

t.test('username, avatar and thread are sent as Discord names them', async (t) => {
  const { rx, payload } = await deliver(t, notificationFixture(), posted, {
    username: 'Vedette',
    avatarUrl: 'https://vedette.example/logo.png',
    threadId: '333333333333333333'
  })
  t.equal(payload.username, 'Vedette')
  t.equal(payload.avatar_url, 'https://vedette.example/logo.png')
  t.equal(rx.requests[0]!.path, `${WEBHOOK_PATH}?wait=true&thread_id=333333333333333333`)
})

t.test('a 500 is a retryable failure', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(500, { message: '500: Internal Server Error', code: 0 }))
  t.match(report, { ok: false, status: 500, retryable: true, message: `HTTP 500 from ${rx.base}: 500: Internal Server Error` })
  assertNoSecret(t, report)
})

t.test('a 400 is not retryable and says why, without echoing the token', async (t) => {
  const reply = jsonReply(400, { message: `Invalid Form Body for ${TOKEN}`, code: 50035, errors: { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } })
  const { report } = await deliver(t, notificationFixture(), reply)
  t.match(report, { ok: false, status: 400, retryable: false, message: /Invalid Form Body .*\(code 50035\).*BASE_TYPE_MAX_LENGTH/ })
  assertNoSecret(t, report)
})

t.test('a deleted webhook (404) is not retryable', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(404, { message: 'Unknown Webhook', code: 10015 }))
  t.match(report, { ok: false, status: 404, retryable: false, message: /Unknown Webhook.*deleted/ })
})

t.test('a 429 is retryable and reports retry_after', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }, { 'retry-after': '2' }))
  t.match(report, { ok: false, status: 429, retryable: true, message: /rate limited.*retry after 1\.5s/ })
})

t.test('delivery: retries, no answer, refused connections, no secret in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { url: base + WEBHOOK_PATH, timeout }), accept: posted, secrets: [TOKEN, '/api/webhooks'] })
)
