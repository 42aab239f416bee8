import t from 'tap'
import { testMonitor } from '../engine/test-config.js'
import { alertingEngine, sleep, switchableTarget, waitFor, webhookReceiver } from './alerting.test.util.js'

const fast = { kind: 'interval' as const, everyMs: 100 }

t.test('a silence holds notifications back but the alert is recorded; expireOnResolve ends it', async (t) => {
  const target = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  const engine = await alertingEngine(t, [testMonitor('api', 'http', { url: target.url }, { schedule: fast, tags: ['api'] })], {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url } }],
    alerts: {
      groupWindow: 0,
      silences: [{ id: 'deploy', monitors: { tags: ['api'] }, endsAt: Date.now() + 60_000, expireOnResolve: true, comment: 'deploying' }],
      rules: [{ id: 'api-down', kind: 'consecutive', threshold: 1, channels: ['hook'] }]
    }
  })
  const spent: string[] = []
  engine.alerting.onSilenceSpent((_tenant, id) => spent.push(id))
  target.set(false)
  const [alert] = await waitFor(() => engine.alerting.engine.openAlerts(), (a) => a.length === 1, 'the alert')
  t.same(alert!.suppressed, { by: 'silence', ref: 'deploy' }, 'marked as silenced')
  await sleep(400)
  t.equal(hook.received.length, 0, 'nothing sent while silenced')
  target.set(true)
  await waitFor(() => spent, (s) => s.length === 1, 'the silence is spent when its alert resolved')
  t.same(spent, ['deploy'])
  await sleep(300)
  t.equal(hook.received.length, 0, 'an alert nobody heard of resolves silently')
  t.equal((await engine.alerting.store.get('default', alert!.id))?.status, 'resolved')
})

t.test('maintenance: suppress keeps checking and holds alerts; pause stops checks; both show as status maintenance', async (t) => {
  const target = await switchableTarget(t)
  const paused = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  // A recurring window in Tokyo that opened at 23:00 local the day before and runs past midnight until after now.
  const tokyo = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const dayBefore = tokyo.formatToParts(new Date(Date.now() - 86_400_000))
  const weekday = dayBefore.find((p) => p.type === 'weekday')!.value.toLowerCase().slice(0, 3) as 'mon'
  const now = tokyo.formatToParts(new Date())
  const minutesSinceMidnight = Number(now.find((p) => p.type === 'hour')!.value) * 60 + Number(now.find((p) => p.type === 'minute')!.value)
  const durationMin = 60 + minutesSinceMidnight + 24 * 60 + 30 // 23:00 the day before → midnight → now (+ a day when now is after 23:00) + 30 min
  const engine = await alertingEngine(t, [
    testMonitor('api', 'http', { url: target.url }, { schedule: fast, tags: ['api'] }),
    testMonitor('batch', 'http', { url: paused.url }, { schedule: fast, tags: ['batch'] })
  ], {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url } }],
    alerts: {
      groupWindow: 0,
      maintenance: [
        { id: 'nightly', monitors: { tags: ['api'] }, mode: 'suppress', weekdays: [weekday], time: '23:00', duration: `${durationMin % (24 * 60) + 60 * 24 > 48 * 60 ? durationMin - 24 * 60 : durationMin}m`, timezone: 'Asia/Tokyo' },
        { id: 'upgrade', monitors: { ids: ['batch'] }, mode: 'pause', startsAt: Date.now() - 1000, endsAt: Date.now() + 1500 }
      ],
      rules: [{ id: 'down', kind: 'consecutive', threshold: 1, channels: ['hook'] }]
    }
  })
  await waitFor(() => engine.maintenance.activeFor('default', 'api'), (w) => w !== undefined, 'the recurring window applies')
  t.match(engine.maintenance.activeFor('default', 'api'), { id: 'nightly', mode: 'suppress' })
  const hitsBefore = target.hits()
  target.set(false)
  const [alert] = await waitFor(() => engine.alerting.engine.openAlerts().filter((a) => a.monitorId === 'api'), (a) => a.length === 1, 'an alert in maintenance')
  t.same(alert!.suppressed, { by: 'maintenance', ref: 'nightly' })
  await waitFor(() => target.hits(), (h) => h > hitsBefore + 3, 'suppress mode keeps checking')

  await waitFor(() => engine.state.get('default', 'batch')?.status, (s) => s === 'maintenance', 'pause mode sets the status')
  const frozen = paused.hits()
  await sleep(500)
  t.ok(paused.hits() <= frozen + 1, 'pause mode stops the checks')
  await waitFor(() => engine.state.get('default', 'batch')?.status, (s) => s !== 'maintenance', 'the one-off window ends', 4000)
  await waitFor(() => paused.hits(), (h) => h > frozen + 2, 'checks resume after the window')
  t.equal(hook.received.length, 0, 'no notification for the monitor in maintenance')
})

t.test('dependencies: children of a down parent are suppressed (transitively); their resolutions are still sent', async (t) => {
  const db = await switchableTarget(t)
  const api = await switchableTarget(t)
  const web = await switchableTarget(t)
  const report = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  const engine = await alertingEngine(t, [
    testMonitor('db', 'http', { url: db.url }, { schedule: fast, tags: ['db'] }),
    testMonitor('api', 'http', { url: api.url }, { schedule: fast, dependsOn: { monitors: [], tags: ['db'] } }),
    testMonitor('web', 'http', { url: web.url }, { schedule: fast, dependsOn: { monitors: ['api'], tags: [] } }),
    testMonitor('report', 'http', { url: report.url }, { schedule: fast, dependsOn: { monitors: ['api'], tags: [] } })
  ], {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url } }],
    alerts: { groupWindow: 0, rules: [{ id: 'down', kind: 'consecutive', threshold: 2, channels: ['hook'] }] }
  })
  const told = () => hook.received.filter((r) => r.body.event === 'firing').flatMap((r) => r.body.alerts.map((a) => a.monitorId as string))
  web.set(false)
  await waitFor(told, (m) => m.includes('web'), 'web alone is down: notified')
  db.set(false)
  await waitFor(() => engine.state.get('default', 'db')?.status, (s) => s === 'down', 'db down')
  await waitFor(told, (m) => m.includes('db'), 'the root cause is notified')
  report.set(false) // report → api (up) → db (down): suppressed through its grandparent
  const [reportAlert] = await waitFor(() => engine.alerting.engine.openAlerts().filter((a) => a.monitorId === 'report'), (a) => a.length === 1, 'the report alert')
  t.same(reportAlert!.suppressed, { by: 'dependency', ref: 'db' }, 'transitive: db is down, api is not')
  web.set(true)
  await waitFor(() => hook.received, (r) => r.some((x) => x.body.event === 'resolved' && x.body.alerts[0]!.monitorId === 'web'), 'the resolution of web is sent while db is down')
  await sleep(300)
  t.notOk(told().includes('report'), 'report was never notified')
  t.notOk(told().includes('api'))
})

t.test('flapping: one notice when the monitor flips, not one per flip', async (t) => {
  const target = await switchableTarget(t)
  const hook = await webhookReceiver(t)
  await alertingEngine(t, [testMonitor('wobbly', 'http', { url: target.url }, { schedule: fast, failureThreshold: 1, recoveryThreshold: 1 })], {
    channels: [{ id: 'hook', type: 'webhook', config: { url: hook.url } }],
    alerts: {
      groupWindow: 0,
      rules: [
        { id: 'flap', kind: 'flapping', changes: 4, within: '3s', calmAfter: '1s', channels: ['hook'] },
        { id: 'down', kind: 'consecutive', threshold: 1, channels: ['hook'] }
      ]
    }
  })
  await sleep(300)
  let up = true
  const flipper = setInterval(() => target.set((up = !up)), 250)
  t.teardown(() => clearInterval(flipper))
  // One message may carry several alerts (grouping), so look at every alert of every message.
  const notices = (rule: string, event: string) => hook.received.filter((x) => x.body.event === event).flatMap((x) => x.body.alerts.filter((a) => a.ruleId === rule))
  await waitFor(() => notices('flap', 'firing'), (n) => n.length > 0, 'the flapping alert', 6000)
  const afterFlap = hook.received.length
  await sleep(2000)
  clearInterval(flipper)
  target.set(true)
  t.equal(notices('flap', 'firing').length, 1, 'one flapping notice')
  const downDuringFlap = hook.received.slice(afterFlap).filter((x) => x.body.event === 'firing').flatMap((x) => x.body.alerts.filter((a) => a.ruleId === 'down'))
  t.equal(downDuringFlap.length, 0, 'no per-flip notices while flapping')
  await waitFor(() => notices('flap', 'resolved'), (n) => n.length > 0, 'flapping resolves after the calm period', 5000)
})
