import type { Notification } from '@vedette/sdk'
import { alertFixture, groupedFixture, httpNotifierConformance, jsonReply, neverReply, notificationFixture, notificationReceiver, notifierChannel, resolvedFixture } from '@vedette/sdk/testing'
import type { Reply } from '@vedette/sdk/testing'
import t from 'tap'
import type { Test } from 'tap'
import pagerDutyNotifier from './index.js'
import type { PagerDutyEvent, PagerDutyNotifierConfig } from './index.js'

const ROUTING_KEY = 'R0uT1nGkEy0123456789abcdefABCDEF'

const accepted: Reply = (req, res) => {
  res.writeHead(202, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: (req.json as PagerDutyEvent).dedup_key }))
}

const channel = (t: Test, config: Partial<PagerDutyNotifierConfig> & { url: string }) => notifierChannel(t, pagerDutyNotifier, { routingKey: ROUTING_KEY, ...config })

async function deliver(t: Test, notification: Notification, reply: Reply, config: Partial<PagerDutyNotifierConfig> = {}) {
  const rx = await notificationReceiver(t, reply)
  const instance = await channel(t, { url: `${rx.base}/v2/enqueue`, ...config })
  const report = await instance.send(notification, new AbortController().signal)
  return { report, rx, events: rx.requests.map((r) => r.json as PagerDutyEvent) }
}

t.test('a firing alert is one trigger event with the documented payload', async (t) => {
  const { report, rx, events } = await deliver(t, notificationFixture(), accepted)
  t.same(report, { ok: true, status: 202, message: `HTTP 202 from ${rx.base}: accepted trigger for rule-down:monitor-1` })
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, '/v2/enqueue')
  t.match(req.headers['content-type'], /^application\/json/)
  t.same(events[0], {
    routing_key: ROUTING_KEY,
    event_action: 'trigger',
    dedup_key: 'rule-down:monitor-1',
    payload: {
      summary: '[critical] API health 1 is down',
      source: 'API health 1',
      severity: 'critical',
      timestamp: '2025-01-15T09:31:00.000Z',
      custom_details: {
        event: 'firing',
        summary: '2 consecutive failures: connect ECONNREFUSED (monitor 1)',
        monitorId: 'monitor-1',
        monitorName: 'API health 1',
        monitorStatus: 'down',
        severity: 'critical',
        ruleId: 'rule-down',
        alertId: 'alert-1',
        startedAt: '2025-01-15T09:30:00.000Z',
        failedAssertions: [{ assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' }],
        text: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.'
      }
    },
    client: 'Vedette',
    client_url: 'https://vedette.example/api/v1/alerts/alert-1',
    links: [{ href: 'https://vedette.example/api/v1/alerts/alert-1', text: 'Alert in Vedette' }]
  })
})

t.test('resolved and acknowledged carry the dedup key alone', async (t) => {
  const resolved = await deliver(t, resolvedFixture(), accepted)
  t.equal(resolved.report.ok, true)
  t.same(resolved.events, [{ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'rule-down:monitor-1' }])
  const acked = await deliver(t, notificationFixture({ event: 'acknowledged', alerts: [alertFixture(1, { status: 'acknowledged', acknowledgedBy: 'ana' })] }), accepted)
  t.same(acked.events, [{ routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: 'rule-down:monitor-1' }])
})

t.test('reminders and escalations trigger again under the same key', async (t) => {
  for (const event of ['reminder', 'escalation'] as const) {
    const { events } = await deliver(t, notificationFixture({ event }), accepted)
    t.match(events, [{ event_action: 'trigger', dedup_key: 'rule-down:monitor-1', payload: { custom_details: { event } } }])
  }
})

t.test('a grouped notification is one event per alert', async (t) => {
  const { report, rx, events } = await deliver(t, groupedFixture(3), accepted)
  t.match(report, { ok: true, status: 202, message: /^3 events accepted/ })
  t.equal(rx.requests.length, 3)
  const byKey = new Map(events.map((e) => [e.dedup_key, e]))
  t.same([...byKey.keys()].sort(), ['rule-down:monitor-1', 'rule-down:monitor-2', 'rule-down:monitor-3'])
  t.match(byKey.get('rule-down:monitor-1'), { event_action: 'trigger', payload: { severity: 'critical', source: 'API health 1', summary: '[critical] API health 1: 2 consecutive failures: connect ECONNREFUSED (monitor 1)' } })
  t.match(byKey.get('rule-down:monitor-2'), { payload: { severity: 'warning', source: 'API health 2' } })
  for (const e of events) t.notOk('text' in (e.payload?.custom_details ?? {}), 'the group text is not pinned to one alert')
})

t.test('severityMap, component, group and class shape the trigger', async (t) => {
  const { events } = await deliver(t, groupedFixture(2), accepted, { severityMap: { warning: 'error' }, component: 'edge', group: 'shop', class: 'availability' })
  const second = events.find((e) => e.dedup_key === 'rule-down:monitor-2')!
  t.match(second.payload, { severity: 'error', component: 'edge', group: 'shop', class: 'availability' })
})

t.test('a test notification triggers an info event under a test key', async (t) => {
  const test = notificationFixture({ event: 'test', severity: 'info', alerts: [], title: 'Test from Vedette', text: 'It works.', idempotencyKey: 'chan-1:test:42' })
  const { report, events } = await deliver(t, test, accepted)
  t.equal(report.ok, true)
  t.match(events, [
    {
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'vedette-test-chan-1:test:42',
      payload: { summary: 'Test from Vedette', source: 'vedette', severity: 'info', custom_details: { event: 'test', text: 'It works.' } }
    }
  ])
})

t.test('a 500 is a retryable failure', async (t) => {
  const { report, rx } = await deliver(t, notificationFixture(), jsonReply(500, { status: 'error', message: 'Internal Server Error' }))
  t.match(report, { ok: false, status: 500, retryable: true, message: `HTTP 500 from ${rx.base}: Internal Server Error` })
})

t.test('a 400 is not retryable, says why and never shows the routing key', async (t) => {
  const reply = jsonReply(400, { status: 'invalid event', message: 'Event object is invalid', errors: [`'routing_key' ${ROUTING_KEY} is invalid`] })
  const { report } = await deliver(t, notificationFixture(), reply)
  t.match(report, { ok: false, status: 400, retryable: false, message: /Event object is invalid: 'routing_key' \[redacted\] is invalid/ })
  t.notOk(JSON.stringify(report).includes(ROUTING_KEY))
})

t.test('a 429 is retryable', async (t) => {
  const { report } = await deliver(t, notificationFixture(), jsonReply(429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }))
  t.match(report, { ok: false, status: 429, retryable: true, message: /too quickly/ })
})

t.test('one refused alert in a group fails the attempt, not retryable, naming the alert', async (t) => {
  const reply: Reply = (req, res) => {
    if ((req.json as PagerDutyEvent).dedup_key === 'rule-down:monitor-2') jsonReply(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['bad'] })(req, res)
    else accepted(req, res)
  }
  const { report, rx } = await deliver(t, groupedFixture(3), reply)
  t.equal(rx.requests.length, 3)
  t.same(report, {
    ok: false,
    status: 400,
    retryable: false,
    message: `2 of 3 events accepted; rule-down:monitor-2: HTTP 400 from ${rx.base}: Event object is invalid: bad`
  })
})

t.test('after a failure no further alert of the group is sent', async (t) => {
  const { report, rx } = await deliver(t, groupedFixture(10), jsonReply(503, { message: 'unavailable' }))
  t.equal(rx.requests.length, 4, 'only the requests already in flight')
  t.match(report, { ok: false, status: 503, retryable: true, message: /^0 of 10 events accepted, 6 not sent; / })
})

t.test('a receiver that never answers: the aborted signal ends the attempt', async (t) => {
  const rx = await notificationReceiver(t, neverReply)
  const instance = await channel(t, { url: `${rx.base}/v2/enqueue` })
  const controller = new AbortController()
  const pending = instance.send(groupedFixture(3), controller.signal)
  await rx.received(3)
  controller.abort()
  const report = await pending
  t.match(report, { ok: false, status: 'aborted', retryable: true })
  t.notOk(JSON.stringify(report).includes(ROUTING_KEY))
})

t.test('an overlong dedup key is shortened the same way every time', async (t) => {
  const key = `rule:${'m'.repeat(400)}`
  const n = notificationFixture({ alerts: [alertFixture(1, { dedupKey: key })] })
  const first = await deliver(t, n, accepted)
  const second = await deliver(t, n, accepted)
  t.equal(first.events[0]!.dedup_key.length, 255)
  t.equal(first.events[0]!.dedup_key, second.events[0]!.dedup_key)
  t.ok(first.events[0]!.dedup_key.startsWith('rule:mmm'))
})

t.test('delivery: retries, no answer, refused connections, no routing key in reports', (t) =>
  httpNotifierConformance(t, { channel: (t, base, timeout) => channel(t, { url: `${base}/v2/enqueue`, timeout }), accept: accepted, secrets: [ROUTING_KEY] })
)
