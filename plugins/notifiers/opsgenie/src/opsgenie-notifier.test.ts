import type { Notification } from '@vedette/sdk'
import { alertFixture, groupedFixture, httpNotifierConformance, jsonReply, neverReply, notificationFixture, notificationReceiver, notifierChannel, resolvedFixture } from '@vedette/sdk/testing'
import type { Reply } from '@vedette/sdk/testing'
import t from 'tap'
import type { Test } from 'tap'
import opsgenieNotifier from './index.js'
import type { OpsgenieNotifierConfig } from './index.js'

const API_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889'

const accepted = jsonReply(202, { result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' })

const channel = (t: Test, config: Partial<OpsgenieNotifierConfig> & { url: string }) => notifierChannel(t, opsgenieNotifier, { apiKey: API_KEY, ...config })

async function deliver(t: Test, notification: Notification, reply: Reply, config: Partial<OpsgenieNotifierConfig> = {}) {
  const rx = await notificationReceiver(t, reply)
  const instance = await channel(t, { url: rx.base, ...config })
  const report = await instance.send(notification, new AbortController().signal)
  return { report, rx }
}

t.test('a firing alert creates an Opsgenie alert with the documented body', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), accepted, { responders: [{ type: 'team', name: 'SRE' }], tags: ['prod'] })
  t.same(report, { ok: true, status: 202, message: `HTTP 202 from ${rx.base}: accepted create for rule-down:monitor-1 (request 43a29c5c-3dbf-4fa4-9c26-f4f71023e120)` })
  t.equal(rx.requests.length, 1)
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, '/v2/alerts')
  t.equal(req.headers.authorization, `GenieKey ${API_KEY}`)
  t.match(req.headers['content-type'], /^application\/json/)
  t.same(req.json, {
    message: '[critical] API health 1 is down',
    alias: 'rule-down:monitor-1',
    description: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.',
    priority: 'P1',
    tags: ['vedette', 'severity:critical', 'prod'],
    details: {
      event: 'firing',
      monitorId: 'monitor-1',
      monitorName: 'API health 1',
      monitorStatus: 'down',
      severity: 'critical',
      ruleId: 'rule-down',
      alertId: 'alert-1',
      startedAt: '2025-01-15T09:30:00.000Z',
      url: 'https://vedette.example/api/v1/alerts/alert-1',
      failedAssertions: 'status in 200..299 (got 503)'
    },
    entity: 'API health 1',
    source: 'vedette',
    responders: [{ type: 'team', name: 'SRE' }]
  })
})

t.test('resolved closes the alert by alias', async (t) => {
  const { report, rx } = await deliver(t, resolvedFixture(), accepted)
  t.match(report, { ok: true, status: 202, message: `HTTP 202 from ${rx.base}: accepted close for rule-down:monitor-1` })
  const req = rx.requests[0]!
  t.equal(req.path, '/v2/alerts/rule-down%3Amonitor-1/close?identifierType=alias')
  t.equal(req.headers.authorization, `GenieKey ${API_KEY}`)
  t.same(req.json, { source: 'vedette', note: 'Resolved in Vedette: 2 consecutive failures: connect ECONNREFUSED (monitor 1)' })
})

t.test('acknowledged acknowledges the alert by alias, as the Vedette user', async (t) => {
  const n = notificationFixture({ event: 'acknowledged', alerts: [alertFixture(1, { status: 'acknowledged', acknowledgedBy: 'ana' })] })
  const { rx } = await deliver(t, n, accepted)
  t.equal(rx.requests[0]!.path, '/v2/alerts/rule-down%3Amonitor-1/acknowledge?identifierType=alias')
  t.same(rx.requests[0]!.json, { source: 'vedette', user: 'ana', note: 'Acknowledged in Vedette by ana' })
})

t.test('a grouped notification creates one alert per Vedette alert', async (t) => {
  const { report, rx } = await deliver(t, groupedFixture(3), accepted, { priorityMap: { warning: 'P2' } })
  t.match(report, { ok: true, status: 202, message: /^3 events accepted/ })
  t.equal(rx.requests.length, 3)
  const byAlias = new Map(rx.requests.map((r) => [(r.json as { alias: string }).alias, r.json as Record<string, unknown>]))
  t.same([...byAlias.keys()].sort(), ['rule-down:monitor-1', 'rule-down:monitor-2', 'rule-down:monitor-3'])
  t.match(byAlias.get('rule-down:monitor-1'), { priority: 'P1', message: '[critical] API health 1: 2 consecutive failures: connect ECONNREFUSED (monitor 1)' })
  t.match(byAlias.get('rule-down:monitor-2'), { priority: 'P2', tags: ['vedette', 'severity:warning'], entity: 'API health 2' })
  t.match(byAlias.get('rule-down:monitor-3'), { description: /Monitor API health 3 is down\.\nFailed: status in 200\.\.299 \(got 503\)/ })
  for (const body of byAlias.values()) t.ok((body.message as string).length <= 130)
})

t.test('a grouped resolve closes each alert', async (t) => {
  const n = groupedFixture(3, { event: 'resolved' })
  const { rx } = await deliver(t, n, accepted)
  t.same(rx.requests.map((r) => r.path).sort(), [1, 2, 3].map((i) => `/v2/alerts/rule-down%3Amonitor-${i}/close?identifierType=alias`))
})

t.test('the message is cut to 130 characters', async (t) => {
  const { rx } = await deliver(t, notificationFixture({ title: 'x'.repeat(500) }), accepted)
  const message = (rx.requests[0]!.json as { message: string }).message
  t.equal(message.length, 130)
  t.ok(message.endsWith('…'))
})

t.test('a test notification creates a P5 alert under a test alias', async (t) => {
  const n = notificationFixture({ event: 'test', severity: 'info', alerts: [], title: 'Test from Vedette', text: 'It works.', idempotencyKey: 'chan-1:test:42' })
  const { report, rx } = await deliver(t, n, accepted)
  t.equal(report.ok, true)
  t.match(rx.requests[0]!, { path: '/v2/alerts', json: { alias: 'vedette-test-chan-1:test:42', priority: 'P5', message: 'Test from Vedette', tags: ['vedette', 'test'] } })
})

t.test('the EU base URL (or any base with a path) is joined, not replaced', async (t) => {
  const rx = await notificationReceiver(t, accepted)
  const instance = await channel(t, { url: `${rx.base}/proxy/opsgenie/` })
  await instance.send(notificationFixture(), new AbortController().signal)
  t.equal(rx.requests[0]!.path, '/proxy/opsgenie/v2/alerts')
})

t.test('a 500 is a retryable failure', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(500, { message: 'Internal error', took: 0.1, requestId: 'r' }))
  t.match(report, { ok: false, status: 500, retryable: true, message: `HTTP 500 from ${rx.base}: Internal error` })
})

t.test('a 422 (bad key) is not retryable, says why and never shows the key', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(422, { message: `Key format is not valid! (${API_KEY})`, took: 0.001, requestId: 'r' }))
  t.match(report, { ok: false, status: 422, retryable: false, message: `HTTP 422 from ${rx.base}: Key format is not valid! ([redacted])` })
  t.notOk(JSON.stringify(report).includes(API_KEY))
})

t.test('a 401 is not retryable and points at the key and the region', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(401, { message: 'Could not authenticate', took: 0, requestId: 'r' }))
  t.match(report, { ok: false, status: 401, retryable: false, message: /Could not authenticate: check apiKey, its integration and the region of url/ })
})

t.test('a 429 is retryable', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(429, { message: 'You are making too many requests!', took: 0, requestId: 'r' }))
  t.match(report, { ok: false, status: 429, retryable: true })
})

t.test('one refused alert in a group fails the attempt and is named', async (t) => {
  const reply: Reply = (req, res) => {
    if ((req.json as { alias: string }).alias === 'rule-down:monitor-3') jsonReply(400, { message: 'Request body is not valid', errors: { message: 'too long' } })(req, res)
    else accepted(req, res)
  }
  const { report, rx } = await deliver(t, groupedFixture(3), reply)
  t.same(report, {
    ok: false,
    status: 400,
    retryable: false,
    message: `2 of 3 events accepted; rule-down:monitor-3: HTTP 400 from ${rx.base}: Request body is not valid: {"message":"too long"}`
  })
})

t.test('a receiver that never answers: the timeout ends the attempt', async (t) => {
  const rx = await notificationReceiver(t, neverReply)
  const instance = await channel(t, { url: rx.base, timeout: '200ms' })
  const report = await instance.send(groupedFixture(2), new AbortController().signal)
  t.match(report, { ok: false, status: 'timeout', retryable: true, message: new RegExp(`no answer from ${rx.base.replaceAll('.', '\\.')} within 200ms`) })
})

t.test('delivery: retries, no answer, refused connections, no key in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { url: base, timeout }), accept: accepted, secrets: [API_KEY] })
)
