import t from 'tap'
import { testMonitor } from '../engine/test-config.js'
import { alertingEngine, sleep, switchableTarget, waitFor, webhookReceiver } from './alerting.test.util.js'

const fast = { kind: 'interval' as const, everyMs: 100 }

t.test('reminders and escalation steps (channels, then a user) until acknowledged; resolved notices reach everyone told', async (t) => {
  const target = await switchableTarget(t)
  const a = await webhookReceiver(t)
  const b = await webhookReceiver(t)
  const engine = await alertingEngine(t, [testMonitor('api', 'http', { url: target.url }, { schedule: fast })], {
    channels: [
      { id: 'team-hook', type: 'webhook', config: { url: a.url } },
      { id: 'alice-hook', type: 'webhook', config: { url: b.url } }
    ],
    users: [{ id: 'alice', name: 'Alice', contacts: ['alice-hook'] }],
    alerts: {
      groupWindow: 0,
      escalationPolicies: [{ id: 'api-oncall', steps: [{ after: 0, channels: ['team-hook'] }, { after: '2s', users: ['alice'] }] }],
      rules: [{ id: 'api-down', kind: 'consecutive', threshold: 1, escalation: 'api-oncall', reminderEvery: '1s' }]
    }
  })
  target.set(false)
  await waitFor(() => a.received, (r) => r.length >= 1, 'the first step')
  t.equal(a.received[0]!.body.event, 'firing')
  await waitFor(() => a.received, (r) => r.some((x) => x.body.event === 'reminder'), 'a reminder while not acknowledged', 4000)
  const escalated = await waitFor(() => b.received, (r) => r.length >= 1, 'the second step (a user)', 5000)
  t.equal(escalated[0]!.body.event, 'escalation', 'alice is told through her contact channel')

  const [open] = engine.alerting.engine.openAlerts()
  await engine.alerting.acknowledge('default', open!.id, 'bob', 'looking into it')
  await waitFor(() => b.received, (r) => r.some((x) => x.body.event === 'acknowledged'), 'the acknowledgement notice')
  t.match(b.received.at(-1)!.body.alerts[0], { status: 'acknowledged', acknowledgedBy: 'bob' })
  const countA = a.received.length
  const countB = b.received.length
  await sleep(2500)
  t.equal(a.received.length, countA, 'no reminder after the acknowledgement')
  t.equal(b.received.length, countB, 'no escalation after the acknowledgement')

  target.set(true)
  await waitFor(() => [a.received, b.received], (v) => v[0]!.some((r) => r.body.event === 'resolved') && v[1]!.some((r) => r.body.event === 'resolved'), 'resolved notices to both')
  const stored = await engine.alerting.store.get('default', open!.id)
  t.equal(stored?.status, 'resolved')
  t.equal(stored?.acknowledgedBy, 'bob')
  t.equal(stored?.ackNote, 'looking into it')
  t.same(new Set(stored?.notified), new Set(['team-hook', 'alice-hook']))
  const types = stored!.history.map((h) => h.type)
  t.ok(types.includes('reminder') && types.includes('escalated') && types.includes('acknowledged') && types.at(-1) === 'resolved', types.join(','))
})

t.test('an acknowledgement with a snooze holds reminders and escalation until the snooze ends, then both resume', async (t) => {
  const target = await switchableTarget(t)
  const a = await webhookReceiver(t)
  const b = await webhookReceiver(t)
  const engine = await alertingEngine(t, [testMonitor('db', 'http', { url: target.url }, { schedule: fast })], {
    channels: [
      { id: 'first', type: 'webhook', config: { url: a.url } },
      { id: 'second', type: 'webhook', config: { url: b.url } }
    ],
    alerts: {
      groupWindow: 0,
      escalationPolicies: [{ id: 'p', steps: [{ after: 0, channels: ['first'] }, { after: '1500ms', channels: ['second'] }] }],
      rules: [{ id: 'db-down', kind: 'consecutive', threshold: 1, escalation: 'p', reminderEvery: '1s' }]
    }
  })
  target.set(false)
  await waitFor(() => a.received, (r) => r.length >= 1, 'the first step')
  const [open] = engine.alerting.engine.openAlerts()
  const snoozeEnds = Date.now() + 1200
  await engine.alerting.acknowledge('default', open!.id, 'carol', undefined, snoozeEnds)
  await sleep(800)
  t.equal(b.received.length, 0, 'no escalation while acknowledged')
  t.notOk(a.received.some((r) => r.body.event === 'reminder'), 'no reminder while acknowledged')
  await waitFor(() => a.received, (r) => r.some((x) => x.body.event === 'reminder'), 'reminders come back when the snooze ends')
  const [escalated] = await waitFor(() => b.received, (r) => r.length > 0, 'the escalation goes on after the snooze')
  t.ok(escalated!.at >= snoozeEnds, 'the second step ran only after the snooze ended')
  t.equal((await engine.alerting.store.get('default', open!.id))?.status, 'firing', 'back to firing after the snooze')
})

t.test('alerts firing together reach a channel as grouped messages; every alert is in exactly one', async (t) => {
  const target = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  const monitors = Array.from({ length: 6 }, (_, i) => testMonitor(`m${i}`, 'http', { url: target.url }, { schedule: fast, tags: ['edge'] }))
  const engine = await alertingEngine(t, monitors, {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url } }],
    alerts: { groupWindow: '1s', rules: [{ id: 'edge-down', kind: 'consecutive', threshold: 2, monitors: { tags: ['edge'] }, channels: ['hook'] }] }
  })
  target.set(false)
  const got = await waitFor(() => hook.received, (r) => r.flatMap((x) => x.body.alerts).length >= 6, 'all six alerts')
  t.ok(got.length <= 3, `${got.length} messages for 6 alerts`)
  t.ok(got.some((x) => x.body.alerts.length > 1), 'at least one grouped message')
  const ids = got.flatMap((x) => x.body.alerts.map((a) => a.id))
  t.equal(new Set(ids).size, 6, 'no alert twice')
  t.equal((await engine.alerting.store.list('default', { status: 'open' })).items.length, 6, 'the API still shows every alert')
  const grouped = got.find((x) => x.body.alerts.length > 1)!
  t.match(grouped.body.title, /alerts firing/)
})

t.test('a channel that keeps failing raises an alert on its fallback channel, resolved when it delivers again', async (t) => {
  const target = await switchableTarget(t)
  const broken = await webhookReceiver(t)
  const pager = await webhookReceiver(t)
  broken.status.code = 503
  const engine = await alertingEngine(t, [testMonitor('api', 'http', { url: target.url }, { schedule: fast })], {
    channels: [
      { id: 'chat', type: 'webhook', config: { url: broken.url }, fallback: 'pager', delivery: { backoff: '100ms', maxAttempts: 10, failuresBeforeFallback: 2 } },
      { id: 'pager', type: 'webhook', config: { url: pager.url } }
    ],
    alerts: { groupWindow: 0, rules: [{ id: 'api-down', kind: 'consecutive', threshold: 1, channels: ['chat'] }] }
  })
  target.set(false)
  const [alarm] = await waitFor(() => pager.received, (r) => r.length >= 1, 'the fallback alert')
  t.equal(alarm!.body.event, 'firing')
  t.match(alarm!.body.alerts[0], { ruleId: 'channel-failing', monitorId: 'channel:chat' })
  t.match(alarm!.body.alerts[0]!.summary, /channel chat \(webhook\) failed 2 deliveries in a row/)
  broken.status.code = 200
  await waitFor(() => broken.received, (r) => r.length >= 1, 'the retried delivery once the channel is back')
  await waitFor(() => pager.received, (r) => r.some((x) => x.body.event === 'resolved'), 'the fallback alert resolves')
  const history = await engine.storage.listOutbox('default', { channelId: 'chat' })
  const item = history.items.find((i) => i.state === 'delivered')
  t.ok(item !== undefined && item.attempts.length >= 3, 'every attempt is recorded')
  t.ok(item!.attempts.slice(0, -1).every((a) => !a.ok && a.status === 503))
})
