import t from 'tap'
import type { Test } from 'tap'
import { alertFixture, assertConfigRefused, assertNotifierSchema, groupedFixture, httpNotifierConformance, notificationFixture, notificationReceiver, notifierChannel, notifierContext, resolvedFixture } from '@vedette/sdk/testing'
import type { ReceivedRequest, RefusedConfig } from '@vedette/sdk/testing'
import slack, { SLACK_DEFAULTS } from './index.js'
import type { SlackNotifierConfig } from './index.js'

// Shaped like a real incoming webhook path: the last segment is the credential.
const HOOK_PATH = '/services/T0VEDETTE/B0ALERTS/xoxHookSecret42abc'

const channel = (t: Test, config: SlackNotifierConfig) => notifierChannel(t, slack, config)

interface Text { type: string; text: string; emoji?: boolean }
interface Block { type: string; text?: Text; fields?: Text[]; elements?: Text[] }
interface Message { text: string; blocks: Block[]; channel?: string; username?: string; icon_emoji?: string; unfurl_links?: boolean }

/** The request as Slack documents it: a JSON POST of `text` + Block Kit `blocks` within Slack's limits. */
function assertSlackRequest(t: Test, req: ReceivedRequest): Message {
  t.equal(req.method, 'POST')
  t.equal(req.path, HOOK_PATH)
  t.equal(req.headers['content-type'], 'application/json')
  const body = JSON.parse(req.body) as Message
  t.type(body.text, 'string')
  t.ok(body.text.length > 0, 'fallback text')
  t.ok(Array.isArray(body.blocks) && body.blocks.length > 0 && body.blocks.length <= 50, 'blocks: 1..50')
  const isText = (x: Text | undefined, types: string[]) => x !== undefined && types.includes(x.type) && typeof x.text === 'string' && x.text.length > 0
  for (const b of body.blocks) {
    switch (b.type) {
      case 'header':
        t.ok(isText(b.text, ['plain_text']) && b.text!.text.length <= 150, 'header: plain_text <= 150')
        t.same(Object.keys(b).sort(), ['text', 'type'])
        break
      case 'section':
        t.ok(isText(b.text, ['mrkdwn', 'plain_text']) && b.text!.text.length <= 3000, 'section text <= 3000')
        if (b.fields !== undefined) {
          t.ok(b.fields.length <= 10, 'fields <= 10')
          for (const f of b.fields) t.ok(isText(f, ['mrkdwn', 'plain_text']) && f.text.length <= 2000)
        }
        break
      case 'context':
        t.ok(Array.isArray(b.elements) && b.elements.length >= 1 && b.elements.length <= 10, 'context 1..10 elements')
        for (const e of b.elements ?? []) t.ok(isText(e, ['mrkdwn', 'plain_text']))
        break
      case 'divider':
        t.same(Object.keys(b), ['type'])
        break
      default:
        t.fail(`unexpected block type ${b.type}`)
    }
  }
  return body
}

const sections = (m: Message) => m.blocks.filter((b) => b.type === 'section').map((b) => b.text!.text)

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { required: ['url'], defaults: SLACK_DEFAULTS, secrets: ['url'] })
})

t.test('firing: header, fields, the alert with its failed assertion, context', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH })
  const report = await instance.send(notificationFixture(), new AbortController().signal)
  t.same(report, { ok: true, status: 200, message: `HTTP 200 from ${base}` })
  t.equal(requests.length, 1)
  const body = assertSlackRequest(t, requests[0]!)
  t.equal(body.text, '[critical] API health 1 is down')
  t.equal(body.unfurl_links, false)
  t.notOk('channel' in body || 'username' in body || 'icon_emoji' in body, 'no overrides unless configured')
  t.same(body.blocks.map((b) => b.type), ['header', 'section', 'divider', 'section', 'context'])
  t.same(body.blocks[0]!.text, { type: 'plain_text', text: ':red_circle: [critical] API health 1 is down', emoji: true })
  t.equal(body.blocks[1]!.text!.text, 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.')
  t.same(body.blocks[1]!.fields!.map((f) => f.text), ['*Event*\nfiring', '*Severity*\ncritical', '*Alerts*\n1'])
  t.equal(
    body.blocks[3]!.text!.text,
    ':red_circle: *<https://vedette.example/api/v1/alerts/alert-1|API health 1>* · critical · firing for 1m 0s\n' +
      '2 consecutive failures: connect ECONNREFUSED (monitor 1)\n' +
      '• `status in 200..299 (expected 200..299, got 503)`'
  )
  t.match(body.blocks[4]!.elements![0]!.text, /^Vedette · firing · <!date\^1736933460\^\{date_short_pretty\} \{time\}\|2025-01-15T09:31:00\.000Z>$/)
})

t.test('resolved: green header, duration, overrides passed through', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH, channel: '#ops', username: 'Vedette', iconEmoji: ':rotating_light:' })
  const report = await instance.send(resolvedFixture(), new AbortController().signal)
  t.equal(report.ok, true)
  const body = assertSlackRequest(t, requests[0]!)
  t.equal(body.channel, '#ops')
  t.equal(body.username, 'Vedette')
  t.equal(body.icon_emoji, ':rotating_light:')
  t.equal(body.blocks[0]!.text!.text, ':large_green_circle: API health 1 recovered')
  t.match(sections(body)[1], /· resolved after 5m 0s\n2 consecutive failures: connect ECONNREFUSED \(monitor 1\)$/)
})

t.test('grouped: one message, one section per alert', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH })
  const grouped = groupedFixture(3)
  grouped.alerts[1] = { ...grouped.alerts[1]!, failedAssertions: [{ assertion: 'latency < 800', actual: 901, expected: 800, severity: 'warning' }] }
  await instance.send(grouped, new AbortController().signal)
  t.equal(requests.length, 1)
  const body = assertSlackRequest(t, requests[0]!)
  const alerts = sections(body).slice(1)
  t.equal(alerts.length, 3)
  t.match(alerts[0], /^:red_circle: \*<https:\/\/vedette\.example\/api\/v1\/alerts\/alert-1\|API health 1>\* · critical/)
  t.match(alerts[2], /^:large_orange_circle: \*<[^|]+\|API health 3>\* · warning · firing/)
  t.match(alerts[1], /`latency &lt; 800 \(expected 800, got 901\)`/)
  t.same(body.blocks[1]!.fields![2], { type: 'mrkdwn', text: '*Alerts*\n3' })
})

t.test('a large group is capped at 20 alerts with "and N more"', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH })
  await instance.send(groupedFixture(27), new AbortController().signal)
  const body = assertSlackRequest(t, requests[0]!)
  t.equal(sections(body).length - 1, 20)
  t.ok(body.blocks.some((b) => b.type === 'context' && b.elements![0]!.text === '…and 7 more alerts'))
})

t.test('names and messages cannot ping the channel or break a link', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH })
  const n = notificationFixture({ text: 'boom <!channel> & <@U123>', alerts: [alertFixture(1, { monitorName: 'a|b <c>', summary: '<!here> failed' })] })
  await instance.send(n, new AbortController().signal)
  const body = assertSlackRequest(t, requests[0]!)
  t.notOk(requests[0]!.body.includes('<!channel>') || requests[0]!.body.includes('<!here>') || requests[0]!.body.includes('<@U123>'))
  t.equal(body.blocks[1]!.text!.text, 'boom &lt;!channel&gt; &amp; &lt;@U123&gt;')
  t.match(sections(body)[1], /\|a¦b &lt;c&gt;>\*/)
})

t.test("Slack's error answers: 4xx is not retried, 5xx and 429 are", async (t) => {
  const cases: Array<[number, string, boolean]> = [
    [400, 'invalid_payload', false],
    [403, 'action_prohibited', false],
    [404, 'no_service', false],
    [410, 'channel_is_archived', false],
    [429, 'rate_limited', true],
    [500, 'rollup_error', true]
  ]
  for (const [status, text, retryable] of cases) {
    const { base } = await notificationReceiver(t, (_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(text))
    const instance = await channel(t, { url: base + HOOK_PATH })
    const report = await instance.send(notificationFixture(), new AbortController().signal)
    t.same(report, { ok: false, status, message: `HTTP ${status} from ${base}: ${text}`, retryable }, `${status} ${text}`)
  }
})

t.test('create refuses a config it cannot use', async (t) => {
  const bad: RefusedConfig[] = [
    [{}, /url is required/],
    [{ url: 'hooks.slack.com/services/x' }, /url is not a valid URL/],
    [{ url: 'https://hooks.slack.com/x', iconEmoji: 'rotating_light' }, /iconEmoji must look like/],
    [{ url: 'https://hooks.slack.com/x', channel: ' ' }, /channel must be a non-empty string/],
    [{ url: 'https://hooks.slack.com/x', timeout: '1h' }, /timeout must be a duration/]
  ]
  await assertConfigRefused(t, (config) => slack.create(config as SlackNotifierConfig, notifierContext()), bad, { code: 'VDT_ERR_NOTIFIER_SLACK_INVALID_CONFIG' })
})

t.test('a test notification without alerts', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base + HOOK_PATH })
  const report = await instance.send(notificationFixture({ event: 'test', severity: 'info', title: 'Test from Vedette', text: 'It works.', alerts: [] }), new AbortController().signal)
  t.equal(report.ok, true)
  const body = assertSlackRequest(t, requests[0]!)
  t.same(body.blocks.map((b) => b.type), ['header', 'section', 'context'])
  t.equal(body.blocks[0]!.text!.text, ':test_tube: Test from Vedette')
})

t.test('delivery: retries, no answer, refused connections, the webhook URL never in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { url: base + HOOK_PATH, timeout }), secrets: ['xoxHookSecret42abc'] })
)
