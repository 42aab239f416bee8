import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testMonitor } from '../engine/test-config.js'
import { alertingEngine, sleep, switchableTarget, waitFor, webhookReceiver } from './alerting.test.util.js'

t.test('a receiver that is down during an alert and back after an engine restart gets the notification exactly once', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-restart-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const target = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  hook.status.code = 503
  const monitors = [testMonitor('api', 'http', { url: target.url }, { schedule: { kind: 'interval', everyMs: 100 } })]
  const alerting = {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url }, delivery: { backoff: '300ms', maxAttempts: 50 } }],
    alerts: { groupWindow: 0, rules: [{ id: 'api-down', kind: 'consecutive', threshold: 1, channels: ['hook'] }] }
  }
  target.set(false)
  const first = await alertingEngine(t, monitors, alerting, { storage: 'sqlite', dataDir, stop: false })
  const failing = await waitFor(
    () => first.storage.listOutbox('default', {}),
    (page) => page.items.some((i) => i.attempts.length >= 2),
    'failed attempts while the receiver is down'
  )
  const item = failing.items[0]!
  t.equal(item.state, 'pending', 'kept for another try')
  t.ok(item.attempts.every((a) => !a.ok && a.status === 503))
  const [alertBefore] = first.alerting.engine.openAlerts()
  await first.stop()

  hook.status.code = 200
  const second = await alertingEngine(t, monitors, alerting, { storage: 'sqlite', dataDir })
  await waitFor(() => hook.received, (r) => r.length >= 1, 'the delivery after the restart')
  await sleep(1500)
  t.equal(hook.received.length, 1, 'exactly once')
  t.equal(hook.received[0]!.body.idempotencyKey, item.id, 'the same notification, by its idempotency key')
  t.equal(hook.received[0]!.body.alerts[0]!.id, alertBefore!.id, 'the alert survived the restart (not fired again)')
  const after = await second.storage.getOutboxItem('default', item.id)
  t.equal(after?.state, 'delivered')
  t.ok(after!.attempts.length >= 3 && after!.attempts.at(-1)!.ok, 'every attempt is recorded, the last one delivered')
  t.equal((await second.alerting.store.list('default')).items.length, 1, 'one alert in all')
})
