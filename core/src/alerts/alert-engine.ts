import type { AlertRuleKind, CheckResult, Logger, MonitorStatus, NotificationAssertion, StateChangeEvent } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import type { AlertMetrics } from '../notify/alert-metrics.js'
import { AlertNotices } from './alert-notices.js'
import { AlertStore } from './alert-store.js'
import type { Alert, AlertTransition } from './alert-types.js'
import type { RuntimeAlerting, RuntimeRule } from './alerting-runtime.js'
import { EMPTY_ALERTING } from './alerting-runtime.js'
import { compileSelector } from './monitor-selector.js'
import { MonitorHistory } from './monitor-history.js'
import type { HistoryNeed } from './monitor-history.js'
import { suppressionFor } from './suppression.js'
import type { DependencyView } from './suppression.js'
import { AlertLifecycle } from './alert-lifecycle.js'

export interface AlertEngineDeps {
  store: AlertStore
  notices: AlertNotices
  kinds: ReadonlyMap<string, AlertRuleKind<never>>
  getMonitor(id: string, tenantId: string): Monitor | undefined
  monitorState(tenantId: string, id: string): { status: MonitorStatus; since: number } | undefined
  dependencies: DependencyView
  metrics: AlertMetrics
  logger: Logger
  extraRule?(id: string): RuntimeRule | undefined
  onSilenceSpent?(tenantId: string, silenceId: string): void
  /** In a cluster: whether this node judges the monitor (its time-driven steps run only there). */
  isLocal?(tenantId: string, monitorId: string): boolean
}

/**
 * Judges every rule that covers a monitor after each of its results and
 * status changes, and drives the alert lifecycle (alert-lifecycle.ts): one
 * open alert per (rule, monitor), fired, reminded, escalated, acknowledged,
 * resolved — with notifications held back while a silence, a maintenance
 * window, a down parent or a flapping alert covers the monitor.
 */
export class AlertEngine {
  readonly lifecycle: AlertLifecycle
  readonly #d: AlertEngineDeps
  readonly #history = new MonitorHistory()
  /** Open alerts by dedup key (`<rule>/<monitor>` within a tenant). */
  readonly #open = new Map<string, Alert>()
  /** Rules per monitor, rebuilt when rules or monitors change. */
  readonly #rulesFor = new Map<string, RuntimeRule[]>()
  /** Monitors whose open alerts were looked up in storage (a monitor this node took over from another). */
  readonly #loaded = new Set<string>()
  /** Per-monitor queue: judging one monitor is never interleaved with itself. */
  readonly #queues = new Map<string, Promise<void>>()
  #config: RuntimeAlerting = EMPTY_ALERTING

  constructor(deps: AlertEngineDeps) {
    this.#d = deps
    this.lifecycle = new AlertLifecycle({
      store: deps.store,
      notices: deps.notices,
      metrics: deps.metrics,
      logger: deps.logger,
      config: () => this.#config,
      open: this.#open,
      ...(deps.extraRule ? { extraRule: deps.extraRule } : {}),
      ...(deps.onSilenceSpent ? { onSilenceSpent: deps.onSilenceSpent } : {})
    })
  }

  get config(): RuntimeAlerting {
    return this.#config
  }

  configure(config: RuntimeAlerting): void {
    this.#config = config
    this.#rulesFor.clear()
  }

  /** Monitors changed: their rule lists are rebuilt lazily. */
  monitorsChanged(): void {
    this.#rulesFor.clear()
  }

  /** Loads the open alerts of the tenant (restart, takeover). */
  async restore(tenantId: string): Promise<void> {
    for (const alert of await this.#d.store.openAlerts(tenantId)) this.#open.set(`${tenantId}\0${alert.dedupKey}`, alert)
    this.lifecycle.refreshGauge()
  }

  onResult(result: CheckResult, monitor: Monitor): Promise<void> {
    const rules = this.#rules(monitor)
    if (rules.length === 0) return Promise.resolve()
    const key = `${monitor.tenantId}\0${monitor.id}`
    this.#history.addResult(key, result, this.#need(rules))
    return this.#serial(key, () => this.#judge(monitor, rules, result))
  }

  onTransition(event: StateChangeEvent): Promise<void> {
    const monitor = this.#d.getMonitor(event.monitorId, event.tenantId)
    if (monitor === undefined) return Promise.resolve()
    const rules = this.#rules(monitor)
    if (rules.length === 0) return Promise.resolve()
    const key = `${monitor.tenantId}\0${monitor.id}`
    this.#history.addTransition(key, event, this.#need(rules))
    const last = this.#history.results(key)[0]
    if (last === undefined) return Promise.resolve()
    return this.#serial(key, () => this.#judge(monitor, rules, last))
  }

  /** Another node judges this monitor now: drop what this node held of it (its alerts stay open in storage). */
  forgetMonitor(tenantId: string, monitorId: string): void {
    const key = `${tenantId}\0${monitorId}`
    this.#history.forget(key)
    this.#loaded.delete(key)
    for (const [k, alert] of this.#open) if (alert.tenantId === tenantId && alert.monitorId === monitorId) this.#open.delete(k)
    this.lifecycle.refreshGauge()
  }

  /** A monitor was deleted: its open alerts resolve. */
  async monitorRemoved(tenantId: string, monitorId: string): Promise<void> {
    this.#history.forget(`${tenantId}\0${monitorId}`)
    this.#rulesFor.clear()
    for (const alert of [...this.#open.values()]) {
      if (alert.tenantId === tenantId && alert.monitorId === monitorId) await this.lifecycle.resolve(alert, 'system', 'monitor removed', Date.now())
    }
  }

  /** Reminders, escalation steps, snoozes and suppressions that changed with time. */
  async tick(now = Date.now()): Promise<void> {
    for (const alert of [...this.#open.values()]) {
      if (this.#d.isLocal !== undefined && !this.#d.isLocal(alert.tenantId, alert.monitorId)) continue
      const monitor = this.#d.getMonitor(alert.monitorId, alert.tenantId)
      const suppressed = monitor === undefined ? undefined : this.#suppression(monitor, alert.ruleKind, now)
      await this.#serial(`${alert.tenantId}\0${alert.monitorId}`, () => this.lifecycle.tick(alert, suppressed, now))
    }
  }

  openAlerts(): Alert[] {
    return [...this.#open.values()]
  }

  async #judge(monitor: Monitor, rules: readonly RuntimeRule[], result: CheckResult): Promise<void> {
    const key = `${monitor.tenantId}\0${monitor.id}`
    if (!this.#loaded.has(key)) await this.#loadOpen(monitor, rules)
    const state = this.#d.monitorState(monitor.tenantId, monitor.id)
    const now = Date.now()
    const recent = this.#history.results(key)
    const transitions = this.#history.transitions(key)
    for (const rule of rules) {
      const kind = this.#d.kinds.get(rule.kind)
      if (kind === undefined) continue
      const dedupKey = `${rule.id}/${monitor.id}`
      const open = this.#open.get(`${monitor.tenantId}\0${dedupKey}`)
      let verdict
      try {
        verdict = kind.judge(rule.params as never, {
          monitor: { tenantId: monitor.tenantId, id: monitor.id, name: monitor.name, type: monitor.type, tags: monitor.tags },
          result,
          recent,
          transitions,
          status: state?.status ?? 'pending',
          statusSince: state?.since ?? now,
          firing: open !== undefined,
          now
        })
      } catch (err) {
        this.#d.logger.error({ err, rule: rule.id, monitorId: monitor.id }, 'an alert rule threw while judging; skipped')
        continue
      }
      if (verdict.firing && open === undefined) {
        const suppressed = this.#suppression(monitor, rule.kind, now)
        await this.lifecycle.fire(rule, monitor, dedupKey, verdict.summary, failedAssertions(result), state?.status ?? result.status, suppressed, now)
      } else if (verdict.firing && open !== undefined) {
        open.summary = verdict.summary
        open.monitorStatus = state?.status ?? result.status
      } else if (!verdict.firing && open !== undefined) {
        open.summary = verdict.summary
        open.monitorStatus = state?.status ?? result.status
        await this.lifecycle.resolve(open, 'auto', verdict.summary, now)
      }
    }
  }

  #suppression(monitor: Monitor, ruleKind: string, now: number) {
    const quieting = [...this.#open.values()].find(
      (a) => a.tenantId === monitor.tenantId && a.monitorId === monitor.id && a.ruleKind !== ruleKind && this.#d.kinds.get(a.ruleKind)?.quietsOthers === true
    )
    if (this.#d.kinds.get(ruleKind)?.quietsOthers !== true && quieting !== undefined) return { by: 'flapping' as const, ref: quieting.id }
    return suppressionFor(monitor, this.#config, this.#d.dependencies, now)
  }

  async #loadOpen(monitor: Monitor, rules: readonly RuntimeRule[]): Promise<void> {
    this.#loaded.add(`${monitor.tenantId}\0${monitor.id}`)
    for (const rule of rules) {
      const dedupKey = `${rule.id}/${monitor.id}`
      const k = `${monitor.tenantId}\0${dedupKey}`
      if (this.#open.has(k)) continue
      const alert = await this.#d.store.openByKey(monitor.tenantId, dedupKey)
      if (alert !== undefined) this.#open.set(k, alert)
    }
  }

  #rules(monitor: Monitor): RuntimeRule[] {
    const key = `${monitor.tenantId}\0${monitor.id}`
    let rules = this.#rulesFor.get(key)
    if (rules === undefined) {
      rules = this.#config.rules.filter((r) => r.enabled && this.#d.kinds.has(r.kind) && compileSelector(r.selector)(monitor))
      this.#rulesFor.set(key, rules)
    }
    return rules
  }

  #need(rules: readonly RuntimeRule[]): HistoryNeed {
    let runs = 1
    let windowMs = 0
    for (const rule of rules) {
      const h = this.#d.kinds.get(rule.kind)?.history(rule.params as never) ?? {}
      runs = Math.max(runs, h.runs ?? 0)
      windowMs = Math.max(windowMs, h.windowMs ?? 0)
    }
    return { runs, windowMs }
  }

  #serial(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.#queues.get(key) ?? Promise.resolve()).then(work).catch((err) => {
      this.#d.logger.error({ err, monitor: key.split('\0')[1] }, 'alert evaluation failed')
    })
    this.#queues.set(key, next)
    void next.then(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key)
    })
    return next
  }
}

/** The failed assertions of a run, as notifications show them. */
export function failedAssertions(result: CheckResult): NotificationAssertion[] {
  const list = result.observations?.assertions
  if (!Array.isArray(list)) return []
  const out: NotificationAssertion[] = []
  for (const entry of list) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue
    const a = entry as Record<string, unknown>
    if (a.pass !== false || a.depth !== 0) continue
    out.push({
      assertion: String(a.expr ?? ''),
      ...(a.actual === undefined ? {} : { actual: a.actual }),
      ...(a.expected === undefined ? {} : { expected: a.expected }),
      severity: a.severity === 'warning' ? 'warning' : 'critical'
    })
  }
  return out
}

export type { AlertTransition }
