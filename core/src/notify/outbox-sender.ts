import { createHash } from 'node:crypto'
import type { DeliveryAttempt, DeliveryReport, Logger, NotificationAlert, NotificationEvent, NotifierInstance, OutboxItem, OutboxStore } from '@vedette/sdk'
import type { AlertMetrics } from './alert-metrics.js'
import { renderNotification } from './templates.js'
import type { Templates } from './templates.js'

/** What an outbox item carries: the facts; rendering waits for delivery, where items are grouped. */
export interface OutboxPayload {
  event: NotificationEvent
  alert: NotificationAlert
  /** The rule's templates, when it has any. */
  template?: Templates
}

export interface DeliveryPolicy {
  timeoutMs: number
  maxAttempts: number
  backoffMs: number
  maxBackoffMs: number
  failuresBeforeFallback: number
}

/** A channel ready to send: its notifier instance and policies. */
export interface ChannelRuntime {
  id: string
  tenantId: string
  /** The notifier's short name, for metrics and history. */
  type: string
  instance: NotifierInstance
  /** Channel template, then the notifier kind's. */
  templates: ReadonlyArray<Templates | undefined>
  delivery: DeliveryPolicy
}

export interface OutboxSenderOptions {
  store: OutboxStore
  channel(tenantId: string, id: string): ChannelRuntime | undefined
  nodeId: string
  logger: Logger
  metrics: AlertMetrics
  /** Told after each attempt on a channel: the consecutive failures so far (0 after a success). */
  onChannelHealth?(channel: ChannelRuntime, consecutiveFailures: number, lastError: string | undefined): void
  /** Polling for retries and other nodes' work; default 500 ms. */
  pollMs?: number
  leaseMs?: number
}

/**
 * Delivers the outbox. Due items are leased from storage (so several nodes
 * never send the same one), items for the same channel and event leased
 * together go out as one grouped message, and every attempt is settled in
 * storage with its outcome: delivered, retried later with exponential
 * backoff and jitter, or dead-lettered after the last attempt (or at once
 * when the notifier says retrying cannot help).
 */
export class OutboxSender {
  readonly #o: Required<Omit<OutboxSenderOptions, 'onChannelHealth'>> & Pick<OutboxSenderOptions, 'onChannelHealth'>
  readonly #failures = new Map<string, number>()
  #timer: NodeJS.Timeout | undefined
  /** When the armed timer fires (epoch ms). */
  #armedAt: number | undefined
  /** The earliest item that became due while a pass was running. */
  #pendingAt: number | undefined
  #running: Promise<void> | undefined
  #again = false
  #stopped = true

  constructor(options: OutboxSenderOptions) {
    this.#o = { pollMs: 500, leaseMs: 120_000, ...options }
  }

  start(): void {
    this.#stopped = false
    this.#arm(0)
  }

  /** Something becomes due at `atMs` (a new notification): look then rather than at the next poll. */
  wake(atMs = 0): void {
    if (this.#stopped) return
    if (this.#running) {
      // Remembered for the end of the pass in flight: a timer armed now would fire into it and be lost.
      if (atMs <= Date.now()) this.#again = true
      else this.#pendingAt = Math.min(this.#pendingAt ?? Number.POSITIVE_INFINITY, atMs)
      return
    }
    this.#arm(Math.max(0, atMs - Date.now()))
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }

  /** One pass: lease what is due, send, settle. Exposed for tests. */
  async deliverDue(now = Date.now()): Promise<number> {
    const items = await this.#o.store.claimOutbox(this.#o.nodeId, now, this.#o.leaseMs, 500)
    const groups = new Map<string, OutboxItem[]>()
    for (const item of items) {
      const payload = item.notification as unknown as OutboxPayload
      const key = `${item.tenantId}\0${item.channelId}\0${payload.event}`
      groups.set(key, [...(groups.get(key) ?? []), item])
    }
    await Promise.all([...groups.values()].map((group) => this.#deliver(group)))
    return items.length
  }

  /** Arms the one timer for `delayMs` (at most the poll interval), unless it is already armed to fire sooner. */
  #arm(delayMs: number): void {
    const at = Date.now() + Math.min(Math.max(0, delayMs), this.#o.pollMs)
    if (this.#timer !== undefined && this.#armedAt !== undefined && this.#armedAt <= at) return
    clearTimeout(this.#timer)
    this.#armedAt = at
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#armedAt = undefined
      this.#tick()
    }, at - Date.now())
    this.#timer.unref()
  }

  #tick(): void {
    if (this.#stopped) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#again = false
    this.#running = this.deliverDue()
      .then((n) => {
        if (n === 500) this.#again = true
      })
      .catch((err) => this.#o.logger.error({ err }, 'delivering notifications failed; retrying at the next poll'))
      .finally(() => {
        this.#running = undefined
        if (this.#stopped) return
        const pending = this.#pendingAt
        this.#pendingAt = undefined
        this.#arm(this.#again ? 0 : pending === undefined ? this.#o.pollMs : pending - Date.now())
      })
  }

  async #deliver(items: OutboxItem[]): Promise<void> {
    const first = items[0] as OutboxItem
    const channel = this.#o.channel(first.tenantId, first.channelId)
    const at = Date.now()
    if (channel === undefined) {
      const attempt: DeliveryAttempt = { at, ok: false, error: `channel '${first.channelId}' no longer exists`, latencyMs: 0, node: this.#o.nodeId }
      await Promise.all(items.map((i) => this.#o.store.settleOutbox(i.tenantId, i.id, this.#o.nodeId, attempt, { state: 'dead' })))
      return
    }
    const payloads = items.map((i) => i.notification as unknown as OutboxPayload)
    const key = items.length === 1 ? first.id : `grp_${createHash('sha256').update(items.map((i) => i.id).sort().join('\n')).digest('hex').slice(0, 32)}`
    const notification = renderNotification(
      payloads[0]!.event,
      payloads.map((p) => p.alert),
      key,
      [items.length === 1 ? payloads[0]!.template : undefined, ...channel.templates],
      at
    )
    // A grouped message's own key depends on what was grouped, which can differ on a
    // redelivery after a lease expired: receivers dedupe per alert transition on these.
    notification.data = { ...notification.data, idempotencyKeys: items.map((i) => i.id) }
    const report = await this.#attempt(channel, notification)
    const latencyMs = Date.now() - at
    const attempt: DeliveryAttempt = { at, ok: report.ok, latencyMs, node: this.#o.nodeId }
    if (report.status !== undefined) attempt.status = report.status
    if (!report.ok) attempt.error = report.message ?? 'delivery failed'
    const type = { channel_type: channel.type }
    const failures = report.ok ? 0 : (this.#failures.get(channelKey(channel)) ?? 0) + 1
    this.#failures.set(channelKey(channel), failures)
    for (const item of items) {
      const tries = item.attempts.length + 1
      let next: { state: 'delivered' | 'dead' | 'pending'; nextAttemptAt?: number }
      if (report.ok) {
        next = { state: 'delivered' }
        this.#o.metrics.deliveryLatency.observe(type, (Date.now() - item.createdAt) / 1000)
      } else if (report.retryable === false || tries >= channel.delivery.maxAttempts) {
        next = { state: 'dead' }
        this.#o.metrics.dead.inc(type)
        this.#o.logger.warn({ channel: channel.id, notification: item.id, attempts: tries, error: attempt.error }, 'notification dead-lettered')
      } else {
        next = { state: 'pending', nextAttemptAt: Date.now() + backoff(channel.delivery, tries) }
        this.#o.metrics.retried.inc(type)
      }
      const settled = await this.#o.store.settleOutbox(item.tenantId, item.id, this.#o.nodeId, attempt, next)
      if (!settled) this.#o.logger.warn({ notification: item.id }, 'lost the lease on a notification while sending it (another node may retry it)')
      if (next.nextAttemptAt !== undefined) this.wake(next.nextAttemptAt)
    }
    if (report.ok) this.#o.metrics.sent.inc(type)
    else this.#o.metrics.failed.inc(type)
    this.#o.onChannelHealth?.(channel, failures, attempt.error)
  }

  async #attempt(channel: ChannelRuntime, notification: ReturnType<typeof renderNotification>): Promise<DeliveryReport> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${channel.delivery.timeoutMs} ms`)), channel.delivery.timeoutMs)
    try {
      const report = await Promise.race([
        channel.instance.send(notification, controller.signal),
        new Promise<DeliveryReport>((resolve) =>
          controller.signal.addEventListener('abort', () => resolve({ ok: false, retryable: true, message: `timed out after ${channel.delivery.timeoutMs} ms` }), { once: true })
        )
      ])
      return report
    } catch (err) {
      // Notifiers should report, not throw; a throw is treated as a retryable failure.
      return { ok: false, retryable: true, message: (err as Error).message }
    } finally {
      clearTimeout(timer)
    }
  }
}

/** Exponential: backoff × 2^(attempt−1) with ±20 % jitter (so retries of many items spread out), never more than maxBackoff. */
export function backoff(policy: Pick<DeliveryPolicy, 'backoffMs' | 'maxBackoffMs'>, attempt: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, attempt - 1))
  return Math.min(policy.maxBackoffMs, Math.round(base * (0.8 + Math.random() * 0.4)))
}

function channelKey(channel: ChannelRuntime): string {
  return `${channel.tenantId}\0${channel.id}`
}
