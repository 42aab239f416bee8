import t from 'tap'
import type { Test } from 'tap'
import { Registry } from 'prom-client'
import { silentLogger } from '@vedette/sdk'
import type { DeliveryReport, NewOutboxItem, Notification, NotificationAlert, NotificationEvent, NotifierInstance, OutboxItem } from '@vedette/sdk'
import { MemoryStorage } from '@vedette/storage-memory'
import { AlertMetrics } from './alert-metrics.js'
import { backoff, OutboxSender } from './outbox-sender.js'
import type { ChannelRuntime, DeliveryPolicy, OutboxPayload } from './outbox-sender.js'
import type { Templates } from './templates.js'

/**
 * A notifier instance that keeps what it was sent and answers with the
 * reports it is given, in order (then `ok`). `hang` makes every send wait
 * for its signal, like a receiver that never answers.
 */
class RecordingNotifier implements NotifierInstance {
  readonly sent: Notification[] = []
  readonly signals: AbortSignal[] = []
  readonly reports: Array<DeliveryReport | Error> = []
  hang = false
  /** Called before answering (to make sends take a while). */
  delay: () => Promise<void> = async () => {}

  async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
    this.sent.push(notification)
    this.signals.push(signal)
    if (this.hang) return new Promise<DeliveryReport>(() => {})
    await this.delay()
    const next = this.reports.shift() ?? { ok: true, status: 200 }
    if (next instanceof Error) throw next
    return next
  }
}

const POLICY: DeliveryPolicy = { timeoutMs: 5000, maxAttempts: 8, backoffMs: 20, maxBackoffMs: 1000, failuresBeforeFallback: 3 }
const T0 = Date.now() - 10_000

interface Setup {
  store: MemoryStorage
  metrics: AlertMetrics
  channel(id: string, policy?: Partial<DeliveryPolicy>, tenantId?: string, templates?: Templates): RecordingNotifier
  sender(nodeId?: string, onChannelHealth?: (id: string, failures: number) => void): OutboxSender
  enqueue(...items: NewOutboxItem[]): Promise<void>
  get(id: string, tenantId?: string): Promise<OutboxItem>
}

async function setup(t: Test): Promise<Setup> {
  const store = new MemoryStorage()
  await store.start()
  t.teardown(() => store.stop())
  const metrics = new AlertMetrics(new Registry())
  const channels = new Map<string, ChannelRuntime>()
  return {
    store,
    metrics,
    channel(id, policy = {}, tenantId = 'default', templates) {
      const instance = new RecordingNotifier()
      channels.set(`${tenantId}/${id}`, { id, tenantId, type: 'recorder', instance, templates: [templates], delivery: { ...POLICY, ...policy } })
      return instance
    },
    sender(nodeId = 'node-a', onChannelHealth) {
      return new OutboxSender({
        store,
        channel: (tenantId, id) => channels.get(`${tenantId}/${id}`),
        nodeId,
        logger: silentLogger,
        metrics,
        ...(onChannelHealth ? { onChannelHealth: (c: ChannelRuntime, failures: number) => onChannelHealth(c.id, failures) } : {})
      })
    },
    async enqueue(...items) {
      await store.enqueueOutbox(items)
    },
    async get(id, tenantId = 'default') {
      const item = await store.getOutboxItem(tenantId, id)
      if (item === undefined) throw new Error(`no outbox item ${id}`)
      return item
    }
  }
}

function notificationAlert(n: string, severity: NotificationAlert['severity'] = 'critical'): NotificationAlert {
  return {
    id: `alrt_${n}`,
    dedupKey: `api-down/mon-${n}`,
    ruleId: 'api-down',
    monitorId: `mon-${n}`,
    monitorName: `Monitor ${n}`,
    severity,
    status: 'firing',
    summary: '2 consecutive failed runs (threshold 2)',
    monitorStatus: 'down',
    startedAt: T0,
    failedAssertions: []
  }
}

function item(n: string, channelId: string, event: NotificationEvent = 'firing', over: { tenantId?: string; template?: Templates } = {}): NewOutboxItem {
  const payload: OutboxPayload = { event, alert: notificationAlert(n), ...(over.template ? { template: over.template } : {}) }
  return {
    tenantId: over.tenantId ?? 'default',
    id: `alrt_${n}:1:${channelId}`,
    channelId,
    alertIds: [`alrt_${n}`],
    notification: payload as unknown as Record<string, unknown>,
    createdAt: T0,
    nextAttemptAt: T0
  }
}

async function counter(c: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> }): Promise<number> {
  return (await c.get()).values.reduce((sum, v) => sum + v.value, 0)
}

t.test('items claimed together go out as one message per channel and event', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops')
  const mail = s.channel('mail')
  const otherTenant = s.channel('ops', {}, 't2')
  await s.enqueue(item('1', 'ops'), item('2', 'ops'), item('3', 'ops'), item('4', 'ops', 'resolved'), item('5', 'mail'), item('6', 'mail'), item('7', 'ops', 'firing', { tenantId: 't2' }))
  t.equal(await s.sender().deliverDue(), 7)

  t.equal(ops.sent.length, 2, 'firing and resolved are separate messages')
  const firing = ops.sent.find((n) => n.event === 'firing')!
  t.same(firing.alerts.map((a) => a.id), ['alrt_1', 'alrt_2', 'alrt_3'])
  t.equal(firing.title, '3 alerts firing')
  t.match(firing.idempotencyKey, /^grp_[0-9a-f]{32}$/)
  const resolved = ops.sent.find((n) => n.event === 'resolved')!
  t.equal(resolved.idempotencyKey, 'alrt_4:1:ops', 'a message about one item keeps its id as the key')
  t.same(mail.sent.map((n) => n.alerts.length), [2])
  t.same(otherTenant.sent.map((n) => n.alerts.map((a) => a.id)), [['alrt_7']], "another tenant's channel of the same id is its own group")

  for (const id of ['alrt_1:1:ops', 'alrt_4:1:ops', 'alrt_5:1:mail']) {
    const stored = await s.get(id)
    t.equal(stored.state, 'delivered', id)
    t.match(stored.attempts, [{ ok: true, status: 200, node: 'node-a' }])
  }
  t.equal(await counter(s.metrics.sent), 4, 'a grouped message counts once')
  t.equal(await s.sender().deliverDue(), 0, 'nothing is sent twice')
})

t.test("a rule's template is used for a message about one item, the channel's for a group", async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops', {}, 'default', { title: 'channel: {{count}} {{eventText}}' })
  await s.enqueue(item('1', 'ops', 'firing', { template: { title: 'rule: {{monitor.name}}' } }))
  await s.sender().deliverDue()
  await s.enqueue(item('2', 'ops', 'firing', { template: { title: 'rule: {{monitor.name}}' } }), item('3', 'ops'))
  await s.sender().deliverDue()
  t.same(ops.sent.map((n) => n.title), ['rule: Monitor 1', 'channel: 2 firing'])
})

t.test('a channel template that does not parse still delivers, with the default and the problem in data', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops', {}, 'default', { title: '{{#monitor}}{{name}} is down' })
  await s.enqueue(item('1', 'ops'))
  await s.sender().deliverDue()
  t.equal((await s.get('alrt_1:1:ops')).state, 'delivered')
  t.equal(ops.sent[0]?.title, '[CRITICAL] Monitor 1 firing')
  t.match(ops.sent[0]?.data, { templateProblems: [/^title: Unclosed section "monitor"/] })
})

t.test('a failed attempt is retried after an exponential backoff, then delivered', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops')
  ops.reports.push({ ok: false, retryable: true, status: 503, message: 'HTTP 503' }, { ok: false, status: 503, message: 'HTTP 503 again' })
  const health: number[] = []
  const sender = s.sender('node-a', (_id, failures) => health.push(failures))
  await s.enqueue(item('1', 'ops'), item('2', 'ops'))

  await sender.deliverDue()
  let stored = await s.get('alrt_1:1:ops')
  t.equal(stored.state, 'pending')
  t.match(stored.attempts, [{ ok: false, status: 503, error: 'HTTP 503', node: 'node-a' }])
  const first = stored.attempts[0]!
  t.ok(stored.nextAttemptAt >= first.at + 0.8 * POLICY.backoffMs, 'waits at least the first backoff (jitter -20 %)')
  t.equal(await sender.deliverDue(first.at), 0, 'not due before its backoff')

  t.equal(await sender.deliverDue(stored.nextAttemptAt + 10), 2, 'due again after it, both items of the group')
  stored = await s.get('alrt_1:1:ops')
  const second = stored.attempts[1]!
  t.ok(stored.nextAttemptAt >= second.at + 0.8 * 2 * POLICY.backoffMs, 'the second backoff doubles')

  await sender.deliverDue(stored.nextAttemptAt + 10)
  stored = await s.get('alrt_1:1:ops')
  t.equal(stored.state, 'delivered')
  t.same(stored.attempts.map((a) => [a.ok, a.status]), [[false, 503], [false, 503], [true, 200]])
  t.equal((await s.get('alrt_2:1:ops')).state, 'delivered')
  t.equal(new Set(ops.sent.map((n) => n.idempotencyKey)).size, 1, 'every attempt of the same group carries the same idempotency key')
  t.same(health, [1, 2, 0], 'consecutive failures reported per attempt, reset by the success')
  t.equal(await counter(s.metrics.retried), 4, 'two items retried twice')
  t.equal(await counter(s.metrics.failed), 2, 'two failed attempts (one per grouped message)')
})

t.test('a failure the notifier calls non-retryable is dead-lettered at once', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops')
  ops.reports.push({ ok: false, retryable: false, status: 401, message: 'HTTP 401 from http://127.0.0.1:9: bad token' })
  await s.enqueue(item('1', 'ops'))
  const sender = s.sender()
  await sender.deliverDue()
  const stored = await s.get('alrt_1:1:ops')
  t.equal(stored.state, 'dead')
  t.match(stored.attempts, [{ ok: false, status: 401, error: 'HTTP 401 from http://127.0.0.1:9: bad token' }])
  t.equal(await counter(s.metrics.dead), 1)
  t.equal(await sender.deliverDue(Date.now() + 3_600_000), 0, 'never tried again')
})

t.test('after maxAttempts failed attempts the notification is dead-lettered', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops', { maxAttempts: 3 })
  for (let i = 0; i < 10; i++) ops.reports.push({ ok: false, retryable: true, message: `attempt ${i + 1} failed` })
  await s.enqueue(item('1', 'ops'))
  const sender = s.sender()
  let stored = await s.get('alrt_1:1:ops')
  for (let i = 0; i < 5 && stored.state === 'pending'; i++) {
    await sender.deliverDue(stored.nextAttemptAt)
    stored = await s.get('alrt_1:1:ops')
  }
  t.equal(stored.state, 'dead')
  t.same(stored.attempts.map((a) => a.error), ['attempt 1 failed', 'attempt 2 failed', 'attempt 3 failed'])
  t.equal(ops.sent.length, 3)
})

t.test('a send that does not answer within timeoutMs is a failed, retryable attempt and its signal is aborted', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops', { timeoutMs: 50 })
  ops.hang = true
  await s.enqueue(item('1', 'ops'))
  await s.sender().deliverDue()
  const stored = await s.get('alrt_1:1:ops')
  t.equal(stored.state, 'pending')
  t.match(stored.attempts, [{ ok: false, error: 'timed out after 50 ms' }])
  t.equal(ops.signals[0]?.aborted, true, 'the notifier is told to give up')
})

t.test('a notifier that throws is a retryable failure; a channel that is gone dead-letters', async (t) => {
  const s = await setup(t)
  const ops = s.channel('ops')
  ops.reports.push(new Error('socket hang up'))
  await s.enqueue(item('1', 'ops'), item('2', 'removed'))
  await s.sender().deliverDue()
  t.match(await s.get('alrt_1:1:ops'), { state: 'pending', attempts: [{ ok: false, error: 'socket hang up' }] })
  t.match(await s.get('alrt_2:1:removed'), { state: 'dead', attempts: [{ ok: false, error: "channel 'removed' no longer exists" }] })
})

t.test('two senders on one store never send the same item twice', async (t) => {
  const s = await setup(t)
  const channels = ['c0', 'c1', 'c2'].map((id) => s.channel(id, { backoffMs: 1, maxBackoffMs: 2, maxAttempts: 50 }))
  let calls = 0
  for (const ch of channels) {
    // Sends take a little while and every fifth one fails, so items are retried and claimed again.
    ch.delay = () => new Promise((resolve) => setTimeout(resolve, calls % 3))
    const send = ch.send.bind(ch)
    ch.send = (n, signal) => {
      if (++calls % 5 === 0) ch.reports.unshift({ ok: false, retryable: true, message: 'HTTP 503' })
      return send(n, signal)
    }
  }
  const a = s.sender('node-a')
  const b = s.sender('node-b')
  const ids: string[] = []
  for (let round = 0; round < 60; round++) {
    const batch = Array.from({ length: 5 }, (_, i) => item(`${round}-${i}`, `c${(round + i) % 3}`))
    ids.push(...batch.map((i) => i.id))
    await s.enqueue(...batch)
    // Alternate who asks first, and ask twice each, all at once.
    const first = round % 2 === 0 ? a : b
    const second = first === a ? b : a
    await Promise.all([first.deliverDue(), second.deliverDue(), first.deliverDue(), second.deliverDue()])
  }
  for (let i = 0; i < 200; i++) {
    const done = await Promise.all([a.deliverDue(Date.now() + 1000), b.deliverDue(Date.now() + 1000)])
    if (done[0] + done[1] === 0) break
  }

  const sends = new Map<string, number>()
  const all = channels.flatMap((ch) => ch.sent)
  t.equal(all.length, calls)
  const stored = await Promise.all(ids.map((id) => s.get(id)))
  t.ok(stored.every((i) => i.state === 'delivered'), 'every item delivered')
  for (const notification of all) for (const alert of notification.alerts) sends.set(alert.id, (sends.get(alert.id) ?? 0) + 1)
  let mismatched = 0
  for (const i of stored) {
    const sent = sends.get(i.alertIds[0]!) ?? 0
    // One send per recorded attempt: no item was ever in two senders' hands at once.
    if (sent !== i.attempts.length || i.attempts.filter((x) => x.ok).length !== 1) mismatched++
  }
  t.equal(mismatched, 0, 'each item was sent exactly as often as its attempts say, and succeeded once')
  const nodes = new Set(stored.flatMap((i) => i.attempts.map((x) => x.node)))
  t.same([...nodes].sort(), ['node-a', 'node-b'], 'both senders did part of the work')
  t.ok(stored.some((i) => i.attempts.length > 1), 'some items were retried')
})

t.test('backoff: base × 2^(attempt−1), capped at maxBackoff, with ±20 % jitter', async (t) => {
  const policy = { backoffMs: 1000, maxBackoffMs: 30_000 }
  for (let attempt = 0; attempt <= 12; attempt++) {
    const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempt - 1))
    const values = Array.from({ length: 300 }, () => backoff(policy, attempt))
    const min = Math.min(...values)
    const max = Math.max(...values)
    t.ok(min >= Math.round(base * 0.8) && max <= Math.round(base * 1.2), `attempt ${attempt}: ${min}..${max} within ${base} ±20 %`)
    t.ok(new Set(values).size > 1, `attempt ${attempt}: jittered`)
  }
  t.ok(Number.isFinite(backoff(policy, 5000)), 'a huge attempt number stays at the cap')
  t.ok(backoff(policy, 5000) <= 36_000)
})
