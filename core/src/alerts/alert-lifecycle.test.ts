import t from 'tap'
import { testMonitor } from '../engine/test-config.js'
import { alertingEngine, sleep, switchableTarget, waitFor, webhookReceiver } from './alerting.test.util.js'

t.test('consecutive rule: one firing notice after the threshold, one resolved notice on recovery, history kept', async (t) => {
  const target = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  const monitor = testMonitor('api', 'http', { url: target.url }, { tags: ['api'], schedule: { kind: 'interval', everyMs: 100 } })
  const other = testMonitor('other', 'http', { url: target.url }, { tags: ['web'], schedule: { kind: 'interval', everyMs: 100 } })
  const engine = await alertingEngine(t, [monitor, other], {
    channels: [{ id: 'ops-hook', type: 'webhook', config: { url: hook.url } }],
    alerts: { rules: [{ id: 'api-down', kind: 'consecutive', threshold: 2, severity: 'critical', monitors: { tags: ['api'] }, channels: ['ops-hook'] }] }
  })
  await sleep(300)
  t.equal(hook.received.length, 0, 'nothing while up')
  target.set(false)
  const [firing] = await waitFor(() => hook.received, (r) => r.length >= 1, 'the firing notice')
  t.equal(firing!.body.event, 'firing')
  t.equal(firing!.body.alerts.length, 1, 'the web-tagged monitor is not covered by the rule')
  t.match(firing!.body.alerts[0], { ruleId: 'api-down', monitorId: 'api', severity: 'critical', status: 'firing', dedupKey: 'api-down/api' })
  t.match(firing!.body.alerts[0]!.summary, /consecutive failed runs \(threshold 2\)/)
  t.match(firing!.body.title, /\[CRITICAL\] api firing/)
  await sleep(500)
  t.equal(hook.received.length, 1, 'still failing: no repeat without reminders')
  target.set(true)
  const both = await waitFor(() => hook.received, (r) => r.length >= 2, 'the resolved notice')
  t.equal(both[1]!.body.event, 'resolved')
  t.equal(both[1]!.body.alerts[0]!.status, 'resolved')
  t.not(both[1]!.body.idempotencyKey, both[0]!.body.idempotencyKey)

  const alerts = await engine.alerting.store.list('default')
  t.equal(alerts.items.length, 1)
  const alert = alerts.items[0]!
  t.equal(alert.status, 'resolved')
  t.same(alert.history.map((h) => h.type), ['fired', 'notified', 'resolved'])
  t.same(alert.notified, ['ops-hook'])
  const history = await engine.storage.listOutbox('default', {})
  t.equal(history.items.length, 2)
  t.ok(history.items.every((i) => i.state === 'delivered' && i.attempts.length === 1 && i.attempts[0]!.ok))
})
