import type { Logger, NotificationAssertion } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import type { AlertMetrics } from '../notify/alert-metrics.js'
import { AlertNotices } from './alert-notices.js'
import { AlertStore } from './alert-store.js'
import type { Alert, Suppression } from './alert-types.js'
import type { RuntimeAlerting, RuntimePolicy, RuntimeRule } from './alerting-runtime.js'

export interface LifecycleDeps {
  store: AlertStore
  notices: AlertNotices
  metrics: AlertMetrics
  logger: Logger
  config(): RuntimeAlerting
  /** The engine's open alerts by `tenant \0 dedupKey`, shared. */
  open: Map<string, Alert>
  /** A silence with expireOnResolve whose alerts have all resolved. */
  onSilenceSpent?(tenantId: string, silenceId: string): void
  /** Rules that are not in the config (the engine's own, e.g. `channel-failing`). */
  extraRule?(id: string): RuntimeRule | undefined
}

/** Shortest time between two rounds of a repeating escalation policy. */
const MIN_ROUND_MS = 60_000

/**
 * The life of one alert: fired (notified unless suppressed), reminded and
 * escalated while firing and not acknowledged, acknowledged (optionally
 * snoozed until a time), resolved (automatically or by a person) with a
 * resolved notice to every channel that was told. Every step is appended to
 * the alert's history and saved before its notifications are queued.
 */
export class AlertLifecycle {
  readonly #d: LifecycleDeps

  constructor(deps: LifecycleDeps) {
    this.#d = deps
  }

  async fire(rule: RuntimeRule, monitor: Pick<Monitor, 'tenantId' | 'id' | 'name'>, dedupKey: string, summary: string, failed: NotificationAssertion[], monitorStatus: string, suppressed: Suppression | undefined, now: number): Promise<void> {
    const k = `${monitor.tenantId}\0${dedupKey}`
    const alert: Alert = {
      id: AlertStore.alertId(dedupKey, now),
      tenantId: monitor.tenantId,
      dedupKey,
      ruleId: rule.id,
      ruleKind: rule.kind,
      monitorId: monitor.id,
      monitorName: monitor.name,
      severity: rule.severity,
      status: 'firing',
      summary,
      startedAt: now,
      updatedAt: now,
      failedAssertions: failed,
      monitorStatus,
      notified: [],
      announced: false,
      history: [{ seq: 1, at: now, type: 'fired', summary }]
    }
    if (!(await this.#d.store.open(alert))) {
      // Another node opened it first (failover): adopt theirs.
      const theirs = await this.#d.store.openByKey(monitor.tenantId, dedupKey)
      if (theirs !== undefined) this.#d.open.set(k, theirs)
      return
    }
    this.#d.open.set(k, alert)
    this.#d.metrics.transitions.inc({ type: 'fired' })
    if (suppressed !== undefined) this.#suppress(alert, suppressed, now)
    else await this.#announce(alert, rule, now)
    await this.#save(alert, now)
  }

  async resolve(alert: Alert, by: string, note: string, now: number): Promise<void> {
    if (alert.status === 'resolved') return
    alert.status = 'resolved'
    alert.resolvedAt = now
    alert.resolvedBy = by
    delete alert.nextReminderAt
    const k = `${alert.tenantId}\0${alert.dedupKey}`
    this.#d.open.delete(k)
    this.#d.metrics.transitions.inc({ type: 'resolved' })
    // Resolutions are never suppressed: everyone who heard of the alert hears it ended.
    if (alert.announced && alert.notified.length > 0) {
      await this.#d.notices.queue(alert, 'resolved', alert.notified, 'resolved', this.#rule(alert)?.template, now)
      const last = alert.history.at(-1)
      if (last !== undefined) Object.assign(last, { by, note })
    } else {
      alert.history.push({ seq: (alert.history.at(-1)?.seq ?? 0) + 1, at: now, type: 'resolved', by, note })
    }
    await this.#save(alert, now)
    this.#spendSilences(alert)
  }

  async acknowledge(alert: Alert, by: string, note: string | undefined, snoozeUntil: number | undefined, now: number): Promise<void> {
    alert.status = 'acknowledged'
    alert.acknowledgedAt = now
    alert.acknowledgedBy = by
    if (note !== undefined) alert.ackNote = note
    if (snoozeUntil !== undefined) alert.snoozedUntil = snoozeUntil
    else delete alert.snoozedUntil
    this.#d.metrics.transitions.inc({ type: 'acknowledged' })
    if (alert.announced && alert.notified.length > 0) {
      const t = await this.#d.notices.queue(alert, 'acknowledged', alert.notified, 'acknowledged', this.#rule(alert)?.template, now)
      Object.assign(t, { by, ...(note === undefined ? {} : { note }) })
    } else {
      alert.history.push({ seq: (alert.history.at(-1)?.seq ?? 0) + 1, at: now, type: 'acknowledged', by, ...(note === undefined ? {} : { note }) })
    }
    await this.#save(alert, now)
  }

  /** Time-driven steps of one open alert: snooze end, suppression start/end, escalation, reminders. */
  async tick(alert: Alert, suppressed: Suppression | undefined, now: number): Promise<void> {
    if (alert.status === 'resolved') return
    const rule = this.#rule(alert)
    if (rule === undefined) return this.resolve(alert, 'system', `rule ${alert.ruleId} was removed`, now)
    let changed = false
    if (alert.status === 'acknowledged' && alert.snoozedUntil !== undefined && now >= alert.snoozedUntil) {
      alert.status = 'firing'
      delete alert.snoozedUntil
      alert.history.push({ seq: (alert.history.at(-1)?.seq ?? 0) + 1, at: now, type: 'unacknowledged', note: 'snooze ended' })
      if (rule.reminderEveryMs !== undefined) alert.nextReminderAt = now
      changed = true
    }
    if (suppressed !== undefined && alert.suppressed === undefined) {
      this.#suppress(alert, suppressed, now)
      changed = true
    } else if (suppressed === undefined && alert.suppressed !== undefined) {
      delete alert.suppressed
      alert.history.push({ seq: (alert.history.at(-1)?.seq ?? 0) + 1, at: now, type: 'unsuppressed' })
      if (!alert.announced && alert.status === 'firing') await this.#announce(alert, rule, now)
      changed = true
    }
    if (alert.status === 'firing' && alert.suppressed === undefined && alert.announced) {
      const esc = alert.escalation
      if (esc?.nextAt !== undefined && esc.nextAt <= now) {
        const policy = this.#policy(esc.policyId)
        if (policy !== undefined) await this.#escalate(alert, rule, policy, now)
        changed = true
      }
      if (rule.reminderEveryMs !== undefined && alert.nextReminderAt !== undefined && alert.nextReminderAt <= now) {
        const channels = alert.notified.length > 0 ? alert.notified : rule.channels
        await this.#d.notices.queue(alert, 'reminder', channels, 'reminder', rule.template, now)
        alert.nextReminderAt = now + rule.reminderEveryMs
        this.#d.metrics.transitions.inc({ type: 'reminder' })
        changed = true
      }
    }
    if (changed) await this.#save(alert, now)
  }

  refreshGauge(): void {
    const counts = { critical: 0, warning: 0, info: 0 }
    for (const alert of this.#d.open.values()) counts[alert.severity]++
    for (const [severity, n] of Object.entries(counts)) this.#d.metrics.firing.set({ severity }, n)
  }

  async #announce(alert: Alert, rule: RuntimeRule, now: number): Promise<void> {
    alert.announced = true
    const policy = rule.escalation === undefined ? undefined : this.#policy(rule.escalation)
    if (policy !== undefined && policy.steps.length > 0) {
      alert.escalation = { policyId: policy.id, step: 0, round: 0, roundStart: alert.startedAt }
      await this.#escalate(alert, rule, policy, now)
    } else {
      await this.#d.notices.queue(alert, 'firing', rule.channels, 'notified', rule.template, now)
    }
    if (rule.reminderEveryMs !== undefined) alert.nextReminderAt = now + rule.reminderEveryMs
  }

  /** Runs every step that is due, then sets when the next one is (starting a new round if the policy repeats). */
  async #escalate(alert: Alert, rule: RuntimeRule, policy: RuntimePolicy, now: number): Promise<void> {
    const esc = alert.escalation
    if (esc === undefined) return
    const users = this.#d.config().users
    for (;;) {
      while (esc.step < policy.steps.length && esc.roundStart + (policy.steps[esc.step]?.afterMs ?? 0) <= now) {
        const step = policy.steps[esc.step]!
        const stepUsers = users.filter((u) => step.users.includes(u.id))
        const channels = [...step.channels, ...AlertNotices.userChannels(stepUsers, alert.severity, now)]
        const first = esc.round === 0 && esc.step === 0
        const t = await this.#d.notices.queue(alert, first ? 'firing' : 'escalation', channels, first ? 'notified' : 'escalated', rule.template, now)
        t.note = `escalation ${policy.id} step ${esc.step + 1}${esc.round > 0 ? ` (round ${esc.round + 1})` : ''}`
        if (!first) this.#d.metrics.transitions.inc({ type: 'escalated' })
        esc.step++
      }
      if (esc.step < policy.steps.length) {
        esc.nextAt = esc.roundStart + (policy.steps[esc.step]?.afterMs ?? 0)
        return
      }
      const rounds = policy.repeat === true ? Number.POSITIVE_INFINITY : policy.repeat === false ? 0 : policy.repeat
      if (esc.round >= rounds) {
        delete esc.nextAt
        return
      }
      const last = policy.steps.at(-1)?.afterMs ?? 0
      esc.round++
      esc.step = 0
      esc.roundStart += Math.max(MIN_ROUND_MS, last + (policy.steps[0]?.afterMs ?? 0) + (last - (policy.steps.at(-2)?.afterMs ?? 0)))
      if (esc.roundStart + (policy.steps[0]?.afterMs ?? 0) > now) {
        esc.nextAt = esc.roundStart + (policy.steps[0]?.afterMs ?? 0)
        return
      }
    }
  }

  #suppress(alert: Alert, suppressed: Suppression, now: number): void {
    alert.suppressed = suppressed
    alert.history.push({ seq: (alert.history.at(-1)?.seq ?? 0) + 1, at: now, type: 'suppressed', note: `${suppressed.by} ${suppressed.ref}` })
    if (suppressed.by === 'silence' && !(alert.silencedBy ?? []).includes(suppressed.ref)) alert.silencedBy = [...(alert.silencedBy ?? []), suppressed.ref]
    this.#d.metrics.transitions.inc({ type: 'suppressed' })
  }

  #spendSilences(alert: Alert): void {
    for (const silenceId of alert.silencedBy ?? []) {
      const silence = this.#d.config().silences.find((s) => s.id === silenceId)
      if (silence?.expireOnResolve !== true) continue
      const stillHeld = [...this.#d.open.values()].some((a) => a.tenantId === alert.tenantId && (a.silencedBy ?? []).includes(silenceId))
      if (!stillHeld) this.#d.onSilenceSpent?.(alert.tenantId, silenceId)
    }
  }

  async #save(alert: Alert, now: number): Promise<void> {
    alert.updatedAt = now
    await this.#d.store.save(alert)
    this.refreshGauge()
  }

  #rule(alert: Alert): RuntimeRule | undefined {
    return this.#d.config().rules.find((r) => r.id === alert.ruleId) ?? this.#d.extraRule?.(alert.ruleId)
  }

  #policy(id: string): RuntimePolicy | undefined {
    return this.#d.config().policies.find((p) => p.id === id)
  }
}
