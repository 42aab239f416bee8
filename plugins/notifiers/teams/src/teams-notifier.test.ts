import type { ServerResponse } from 'node:http'
import t from 'tap'
import type { Test } from 'tap'
import { alertFixture, assertConfigRefused, assertNotifierSchema, groupedFixture, httpNotifierConformance, notificationFixture, notificationReceiver, notifierChannel, notifierContext, resolvedFixture } from '@vedette/sdk/testing'
import type { ReceivedRequest, RefusedConfig } from '@vedette/sdk/testing'
import teams, { TEAMS_DEFAULTS } from './index.js'
import type { TeamsNotifierConfig } from './index.js'

// Shaped like a real Workflows trigger URL: `sig` is the credential.
const FLOW_PATH = '/workflows/0f1e2d3c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zm9vYmFyU2lnbmF0dXJlMTIz'
const SIG = 'Zm9vYmFyU2lnbmF0dXJlMTIz'

const channel = (t: Test, config: TeamsNotifierConfig) => notifierChannel(t, teams, config)

/** Workflows answers 202 Accepted, like the real trigger. */
const accept = (_req: ReceivedRequest, res: ServerResponse) => res.writeHead(202).end()

interface Element { type: string; text?: string; wrap?: boolean; color?: string; facts?: Array<{ title: string; value: string }>; items?: Element[] }
interface Card { $schema: string; type: string; version: string; body: Element[]; actions?: Array<{ type: string; title: string; url: string }>; msteams?: unknown }

/** The documented Workflows message: type message, one Adaptive Card 1.4 attachment. */
function assertWorkflowsRequest(t: Test, req: ReceivedRequest): Card {
  t.equal(req.method, 'POST')
  t.equal(req.path, FLOW_PATH)
  t.equal(req.headers['content-type'], 'application/json')
  const body = JSON.parse(req.body) as { type: string; attachments: Array<{ contentType: string; contentUrl: unknown; content: Card }> }
  t.same(Object.keys(body).sort(), ['attachments', 'type'])
  t.equal(body.type, 'message')
  t.equal(body.attachments.length, 1)
  const [att] = body.attachments
  t.equal(att!.contentType, 'application/vnd.microsoft.card.adaptive')
  t.equal(att!.contentUrl, null)
  const card = att!.content
  t.equal(card.$schema, 'http://adaptivecards.io/schemas/adaptive-card.json')
  t.equal(card.type, 'AdaptiveCard')
  t.equal(card.version, '1.4')
  t.ok(Array.isArray(card.body) && card.body.length > 0)
  const check = (el: Element): void => {
    t.ok(['TextBlock', 'FactSet', 'Container'].includes(el.type), `element ${el.type} is 1.4`)
    if (el.type === 'TextBlock') t.ok(typeof el.text === 'string' && el.text.length > 0 && el.wrap === true, 'TextBlock text, wrapped')
    if (el.type === 'FactSet') t.ok(el.facts!.length > 0 && el.facts!.every((f) => typeof f.title === 'string' && typeof f.value === 'string'), 'facts are strings')
    if (el.type === 'Container') el.items!.forEach(check)
  }
  card.body.forEach(check)
  for (const a of card.actions ?? []) {
    t.equal(a.type, 'Action.OpenUrl')
    t.ok(a.title.length > 0 && /^https?:\/\//.test(a.url))
  }
  return card
}

const containers = (card: Card) => card.body.filter((e) => e.type === 'Container')

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { required: ['url'], defaults: TEAMS_DEFAULTS, secrets: ['url'] })
})

t.test('firing: title, text, facts, the alert, and a View alert button', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  const report = await instance.send(notificationFixture(), new AbortController().signal)
  t.same(report, { ok: true, status: 202, message: `HTTP 202 from ${base}` })
  t.equal(requests.length, 1)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.match(card.body[0], { type: 'TextBlock', text: '[critical] API health 1 is down', size: 'Large', weight: 'Bolder', color: 'Attention' })
  t.match(card.body[1], { type: 'TextBlock', text: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.' })
  t.same(card.body[2], {
    type: 'FactSet',
    facts: [
      { title: 'Event', value: 'firing' },
      { title: 'Severity', value: 'critical' },
      { title: 'Alerts', value: '1' },
      { title: 'At', value: '2025-01-15T09:31:00.000Z' }
    ]
  })
  const [only] = containers(card)
  t.match(only!.items![0], { text: 'API health 1 · critical · firing for 1m 0s', color: 'Attention' })
  t.match(only!.items![1], { text: '2 consecutive failures: connect ECONNREFUSED (monitor 1)' })
  t.same(only!.items![2], { type: 'FactSet', facts: [{ title: 'critical', value: 'status in 200..299 (expected 200..299, got 503)' }] })
  t.same(card.actions, [{ type: 'Action.OpenUrl', title: 'View alert', url: 'https://vedette.example/api/v1/alerts/alert-1' }])
})

t.test('resolved: a green card, how long it lasted', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  t.equal((await instance.send(resolvedFixture(), new AbortController().signal)).ok, true)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.match(card.body[0], { text: 'API health 1 recovered', color: 'Good' })
  t.match(containers(card)[0]!.items![0], { text: 'API health 1 · critical · resolved after 5m 0s', color: 'Good' })
  t.equal(containers(card)[0]!.items!.length, 2, 'no failed assertions listed')
})

t.test('grouped: one card, a container and a button per alert', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  await instance.send(groupedFixture(3), new AbortController().signal)
  t.equal(requests.length, 1)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.same(containers(card).map((c) => c.items![0]!.text!.split(' · ')[0]), ['API health 1', 'API health 2', 'API health 3'])
  t.same(card.actions!.map((a) => a.title), ['Open API health 1', 'Open API health 2', 'Open API health 3'])
})

t.test('a large group is capped at 20 alerts and 6 buttons', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  await instance.send(groupedFixture(23), new AbortController().signal)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.equal(containers(card).length, 20)
  t.match(card.body.at(-1), { type: 'TextBlock', text: '…and 3 more alerts', isSubtle: true })
  t.equal(card.actions!.length, 6)
})

t.test('an acknowledged alert names who acknowledged it; no url, no actions', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  const { url: _url, ...withoutUrl } = alertFixture(1, { status: 'acknowledged', acknowledgedBy: 'dana@example.com' })
  await instance.send(notificationFixture({ event: 'acknowledged', alerts: [withoutUrl] }), new AbortController().signal)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.notOk('actions' in card)
  t.match(containers(card)[0]!.items![0], { text: 'API health 1 · critical · acknowledged by dana@example.com' })
})

t.test('Workflows errors: 4xx is not retried, 5xx and 429 are', async (t) => {
  const cases: Array<[number, string, boolean, string]> = [
    [400, '{"error":{"code":"TriggerInputSchemaMismatch","message":"The input body for trigger manual did not match its schema"}}', false, 'TriggerInputSchemaMismatch: The input body for trigger manual did not match its schema'],
    [401, '{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated"}}', false, 'DirectApiAuthorizationRequired: The request must be authenticated'],
    [404, '{"error":{"code":"WorkflowNotFound","message":"The workflow was not found"}}', false, 'WorkflowNotFound: The workflow was not found'],
    [429, '{"error":{"code":"WorkflowRequestsThrottled","message":"Too many requests"}}', true, 'WorkflowRequestsThrottled: Too many requests'],
    [502, '{"error":{"code":"BadGateway","message":"upstream"}}', true, 'BadGateway: upstream']
  ]
  for (const [status, body, retryable, detail] of cases) {
    const { base } = await notificationReceiver(t, (_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body))
    const instance = await channel(t, { url: base + FLOW_PATH })
    const report = await instance.send(notificationFixture(), new AbortController().signal)
    t.same(report, { ok: false, status, message: `HTTP ${status} from ${base}: ${detail}`, retryable }, String(status))
  }
})

t.test('the signed URL never reaches a report', async (t) => {
  const { base } = await notificationReceiver(t, (req, res) =>
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'InvalidTemplate', message: `bad request to ${req.path}` } }))
  )
  const instance = await channel(t, { url: base + FLOW_PATH })
  const report = await instance.send(notificationFixture(), new AbortController().signal)
  t.equal(report.retryable, false)
  t.notOk(JSON.stringify(report).includes(SIG))
  t.match(report.message, /InvalidTemplate: bad request to \[redacted\]/)
})

t.test('create refuses a config it cannot use', async (t) => {
  const bad: RefusedConfig[] = [
    [{}, /url is required/],
    [{ url: 'prod-12.westeurope.logic.azure.com' }, /url is not a valid URL/],
    [{ url: 'https://x.logic.azure.com/', headers: { 'Content-Length': '1' } }, /content-length is set by the notifier/],
    [{ url: 'https://x.logic.azure.com/', timeout: '-1s' }, /timeout must be a duration/]
  ]
  await assertConfigRefused(t, (config) => teams.create(config as TeamsNotifierConfig, notifierContext()), bad, { code: 'VDT_ERR_NOTIFIER_TEAMS_INVALID_CONFIG' })
})

t.test('a test notification without alerts', async (t) => {
  const { base, requests } = await notificationReceiver(t, accept)
  const instance = await channel(t, { url: base + FLOW_PATH })
  const report = await instance.send(notificationFixture({ event: 'test', severity: 'info', title: 'Test from Vedette', text: 'It works.', alerts: [] }), new AbortController().signal)
  t.equal(report.ok, true)
  const card = assertWorkflowsRequest(t, requests[0]!)
  t.same(card.body.map((e) => e.type), ['TextBlock', 'TextBlock', 'FactSet'])
  t.match(card.body[0], { text: 'Test from Vedette', color: 'Default' })
  t.notOk('actions' in card)
})

t.test('delivery: retries, no answer, refused connections, the signature never in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { url: base + FLOW_PATH, timeout }), accept, secrets: [SIG] })
)
