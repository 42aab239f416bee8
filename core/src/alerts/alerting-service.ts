import { hostname } from 'node:os'
import type { AlertRuleKind, Logger, MonitorStatus, StorageInstance } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import { AlertMetrics } from '../notify/alert-metrics.js'
import { ChannelRegistry } from '../notify/channel-registry.js'
import type { ChannelRegistryOptions } from '../notify/channel-registry.js'
import { OutboxSender } from '../notify/outbox-sender.js'
import { renderNotification } from '../notify/templates.js'
import { AlertNotFoundError, AlertResolvedError, ChannelNotFoundError } from './errors.js'
import type { ChannelRuntime } from '../notify/outbox-sender.js'
import { AlertEngine } from './alert-engine.js'
import { AlertNotices } from './alert-notices.js'
import { AlertStore } from './alert-store.js'
import type { Alert } from './alert-types.js'
import type { AlertingInput } from './alerting-types.js'
import type { RuntimeAlerting, RuntimeRule } from './alerting-runtime.js'
import { DependencyGraph } from './dependencies.js'
import { activeMaintenance } from './maintenance-windows.js'
import { normalizeAlerting } from './normalize-alerting.js'
import type { NormalizedAlerting } from './normalize-alerting.js'
import { BUILTIN_RULE_KINDS } from './rule-kinds/builtin-rules.js'
import type { Registry } from 'prom-client'

export interface AlertingServiceOptions {
  storage: StorageInstance
  registry: Registry
  logger: Logger
  notifiers: ChannelRegistryOptions['notifiers']
  loadNotifier: ChannelRegistryOptions['load']
  createNotifier: ChannelRegistryOptions['create']
  notifierContext: ChannelRegistryOptions['context']
  /** Rule kinds from plugins, besides the built-in ones. */
  pluginRuleKinds?: readonly AlertRuleKind<never>[]
  getMonitor(id: string, tenantId: string): Monitor | undefined
  listMonitors(): Monitor[]
  monitorState(tenantId: string, id: string): { status: MonitorStatus; since: number } | undefined
  /** In a cluster: whether this node judges the monitor. */
  isLocal?(tenantId: string, monitorId: string): boolean
  /** Base URL for links in notifications (`server.publicUrl`). */
  publicUrl?: string
  /** This node's id (leases on the outbox). */
  nodeId?: string
  tickMs?: number
}

/** The engine's own rule: a channel failing repeatedly alerts its fallback channel. */
const CHANNEL_FAILING = 'channel-failing'

/**
 * Alerting as one service: the rule kinds, the alert engine, the channels
 * (notifier instances), the outbox sender and a 1-second tick for reminders,
 * escalations, snoozes, silences and maintenance windows.
 */
export class AlertingService {
  readonly metrics: AlertMetrics
  readonly store: AlertStore
  readonly channels: ChannelRegistry
  readonly sender: OutboxSender
  readonly engine: AlertEngine
  readonly kinds: ReadonlyMap<string, AlertRuleKind<never>>
  readonly nodeId: string
  readonly #o: AlertingServiceOptions
  #graph = new DependencyGraph([])
  #normalized: NormalizedAlerting | undefined
  #timer: NodeJS.Timeout | undefined
  #ticking: Promise<void> | undefined
  readonly #channelAlerts = new Map<string, RuntimeRule>()
  #silenceSpent: ((tenantId: string, silenceId: string) => void) | undefined

  constructor(options: AlertingServiceOptions) {
    this.#o = options
    this.nodeId = options.nodeId ?? `${hostname()}:${process.pid}`
    this.metrics = new AlertMetrics(options.registry)
    this.kinds = new Map([...BUILTIN_RULE_KINDS, ...(options.pluginRuleKinds ?? [])].map((k) => [k.kind, k]))
    this.store = new AlertStore(options.storage)
    this.channels = new ChannelRegistry({ notifiers: options.notifiers, load: options.loadNotifier, create: options.createNotifier, context: options.notifierContext, logger: options.logger })
    this.sender = new OutboxSender({
      store: options.storage,
      channel: (tenantId, id) => this.channels.get(tenantId, id),
      nodeId: this.nodeId,
      logger: options.logger,
      metrics: this.metrics,
      onChannelHealth: (channel, failures, error) => void this.#channelHealth(channel, failures, error)
    })
    const notices = new AlertNotices({
      outbox: options.storage,
      groupWindowMs: () => this.engine.config.groupWindowMs,
      wake: (at) => this.sender.wake(at),
      channelExists: (tenantId, id) => this.channels.get(tenantId, id) !== undefined,
      ...(options.publicUrl ? { alertUrl: (a: Alert) => `${options.publicUrl?.replace(/\/$/, '')}/api/v1/alerts/${a.id}` } : {})
    })
    this.engine = new AlertEngine({
      store: this.store,
      notices,
      kinds: this.kinds,
      getMonitor: options.getMonitor,
      monitorState: options.monitorState,
      dependencies: {
        downAncestor: (tenantId, id) => this.#graph.suppressingAncestor(id, (parent) => options.monitorState(tenantId, parent)?.status === 'down')
      },
      metrics: this.metrics,
      logger: options.logger,
      extraRule: (id) => this.#channelAlerts.get(id),
      ...(options.isLocal ? { isLocal: options.isLocal } : {}),
      onSilenceSpent: (tenantId, silenceId) => this.#silenceSpent?.(tenantId, silenceId)
    })
  }

  /** Who ends silences with expireOnResolve once their alerts resolved (the config service). */
  onSilenceSpent(handler: (tenantId: string, silenceId: string) => void): void {
    this.#silenceSpent = handler
  }

  get normalized(): NormalizedAlerting | undefined {
    return this.#normalized
  }

  /** Applies an alerting config (at start and on every config change). */
  async apply(input: AlertingInput, tenantId = 'default'): Promise<void> {
    const normalized = normalizeAlerting(input, Date.now())
    await this.channels.apply(tenantId, normalized.channels)
    this.#normalized = normalized
    this.engine.configure(toRuntime(normalized))
    this.monitorsChanged()
  }

  /** The monitor set changed (dependencies and rule coverage are rebuilt). */
  monitorsChanged(): void {
    this.#graph = new DependencyGraph(this.#o.listMonitors())
    this.engine.monitorsChanged()
  }

  async start(tenantId = 'default'): Promise<void> {
    await this.engine.restore(tenantId)
    this.sender.start()
    const tickMs = this.#o.tickMs ?? 1000
    this.#timer = setInterval(() => {
      if (this.#ticking !== undefined) return
      this.#ticking = this.engine.tick().catch((err) => this.#o.logger.error({ err }, 'alert tick failed')).finally(() => (this.#ticking = undefined))
    }, tickMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#ticking
    await this.sender.stop()
    await this.channels.stop()
  }

  /** Acknowledges an open alert; 404 for an unknown id, 409 when it is resolved. */
  async acknowledge(tenantId: string, id: string, by: string, note?: string, snoozeUntil?: number): Promise<Alert> {
    const alert = await this.#openAlert(tenantId, id)
    await this.engine.lifecycle.acknowledge(alert, by, note, snoozeUntil, Date.now())
    return alert
  }

  /** Resolves an open alert by hand; the resolved notice goes to everyone who was notified. */
  async resolve(tenantId: string, id: string, by: string, note?: string): Promise<Alert> {
    const alert = await this.#openAlert(tenantId, id)
    await this.engine.lifecycle.resolve(alert, by, note ?? 'resolved by hand', Date.now())
    return alert
  }

  /**
   * Sends a test notification through a channel now, bypassing the outbox
   * and its retries, and reports what the notifier said.
   */
  async sendTest(tenantId: string, channelId: string, by: string): Promise<{ ok: boolean; status?: number | string; message?: string; latencyMs: number }> {
    const channel = this.channels.get(tenantId, channelId)
    if (channel === undefined) throw new ChannelNotFoundError(channelId)
    const at = Date.now()
    const notification = renderNotification('test', [], `test_${at.toString(36)}_${channelId}`, channel.templates, at)
    notification.title = `Vedette test notification for channel ${channelId}`
    notification.text = `Sent by ${by} at ${new Date(at).toISOString()}. If you read this, the channel works.`
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), channel.delivery.timeoutMs)
    try {
      const report = await channel.instance.send(notification, controller.signal)
      return { ok: report.ok, ...(report.status === undefined ? {} : { status: report.status }), ...(report.message === undefined ? {} : { message: report.message }), latencyMs: Date.now() - at }
    } catch (err) {
      return { ok: false, message: (err as Error).message, latencyMs: Date.now() - at }
    } finally {
      clearTimeout(timer)
    }
  }

  async #openAlert(tenantId: string, id: string): Promise<Alert> {
    const known = this.engine.openAlerts().find((a) => a.tenantId === tenantId && a.id === id)
    if (known !== undefined) return known
    const stored = await this.store.get(tenantId, id)
    if (stored === undefined) throw new AlertNotFoundError(id)
    if (stored.status === 'resolved') throw new AlertResolvedError(id)
    return stored
  }

  /** The maintenance windows covering a monitor now (status overlay, pause mode). */
  maintenanceFor(monitor: Monitor, now = Date.now()): { id: string; mode: 'suppress' | 'pause'; end: number } | undefined {
    const active = activeMaintenance(this.engine.config.maintenance, monitor, now)[0]
    return active === undefined ? undefined : { id: active.window.id, mode: active.window.mode, end: active.end }
  }

  async #channelHealth(channel: ChannelRuntime, failures: number, error: string | undefined): Promise<void> {
    const spec = this.channels.spec(channel.tenantId, channel.id)
    const fallback = spec?.fallback
    if (fallback === undefined || fallback === channel.id) return
    const dedupKey = `${CHANNEL_FAILING}/channel:${channel.id}`
    const open = this.engine.openAlerts().find((a) => a.tenantId === channel.tenantId && a.dedupKey === dedupKey)
    const now = Date.now()
    if (failures >= channel.delivery.failuresBeforeFallback && open === undefined) {
      const rule: RuntimeRule = { id: CHANNEL_FAILING, kind: CHANNEL_FAILING, severity: 'critical', channels: [fallback], enabled: true, params: {} }
      this.#channelAlerts.set(CHANNEL_FAILING, rule)
      const summary = `channel ${channel.id} (${channel.type}) failed ${failures} deliveries in a row: ${error ?? 'unknown error'}`
      await this.engine.lifecycle.fire(rule, { tenantId: channel.tenantId, id: `channel:${channel.id}`, name: `notification channel ${channel.id}` }, dedupKey, summary, [], 'failing', undefined, now)
    } else if (failures === 0 && open !== undefined) {
      await this.engine.lifecycle.resolve(open, 'auto', `channel ${channel.id} delivers again`, now)
    }
  }

}

/** The alert engine's view of a normalised alerting config. */
export function toRuntime(n: NormalizedAlerting): RuntimeAlerting {
  return {
    rules: n.rules,
    users: n.users,
    policies: n.escalationPolicies,
    silences: n.silences,
    maintenance: n.maintenance,
    groupWindowMs: n.groupWindowMs
  }
}
