import { DEFAULT_TENANT } from '@vedette/sdk'
import type { AuthenticatorInstance, CheckResult, Logger, MonitorState, StateChangeEvent, StorageInstance } from '@vedette/sdk'
import type { Monitor, VedetteConfig } from '../config/types.js'
import type { CheckPools } from '../dispatch/check-pools.js'
import { EngineStateError, MonitorNotFoundError } from '../errors.js'
import { assertMonitorConfigs } from '../plugins/check-config-problems.js'
import type { HookRunner } from '../hooks/hook-runner.js'
import { EngineMetrics } from '../metrics/engine-metrics.js'
import type { LoadedCheck, PluginDescriptor } from '../plugins/plugin-descriptor.js'
import type { PluginCatalog } from '../plugins/plugin-loader.js'
import type { Scheduler } from '../scheduler/scheduler.js'
import { StateEngine } from '../state/state-engine.js'
import type { ResultWriter } from '../storage/result-writer.js'
import { ENGINE_VERSION } from '../version.js'
import { recordTransition, runMonitor } from './run-monitor.js'
import { Listeners } from './listeners.js'
import { storeMonitors, toRecord } from './monitor-records.js'
import type { ClusterService } from '../cluster/cluster-service.js'
import type { AlertingService } from '../alerts/alerting-service.js'
import { engineServices } from './engine-services.js'
import { buildPipeline } from './run-pipeline.js'
import { loadEnginePlugins } from './load-engine-plugins.js'
import type { EnginePlugins } from './load-engine-plugins.js'
import type { MaintenanceControl } from './maintenance-control.js'
import type { Ownership } from './ownership.js'
import type { SingletonJobs } from './singleton-jobs.js'
import type { PushMonitoring } from '../heartbeats/push-monitoring.js'
import type { AlertingInput } from '../alerts/alerting-types.js'
import type { RunDeps } from './run-monitor.js'

export interface EngineOptions {
  config: VedetteConfig
  /** Directory of the config file: relative paths in it start here. */
  baseDir: string
  logger: Logger
  /** A catalog already read while validating the config (saves reading manifests twice). */
  catalog?: PluginCatalog
  /** Name of the config file, for error messages. */
  configName?: string
}

export type EngineStatus = 'created' | 'starting' | 'running' | 'stopping' | 'stopped'

/**
 * Wires the pipeline of docs/architecture.md: scheduler → dispatcher/pools →
 * hooks → state engine → storage. One instance per process normally; tests
 * and benchmarks may run several side by side (each has its own metrics).
 */
export class Engine {
  readonly config: VedetteConfig
  readonly logger: Logger
  readonly metrics = new EngineMetrics()
  readonly hooks: HookRunner
  readonly state = new StateEngine()
  readonly checks: ReadonlyMap<string, LoadedCheck>
  readonly plugins: readonly PluginDescriptor[]
  readonly storage: StorageInstance
  /** Auth plugin instances in the order they are tried; empty when auth is disabled. */
  readonly authenticators: readonly AuthenticatorInstance[]
  /** Heartbeat (push) monitors: tokens, pings, judging on each ping. */
  readonly pushes: PushMonitoring
  /** Alert rules, alerts, channels and the notification outbox. */
  readonly alerting: AlertingService
  /** Maintenance windows applied to monitors (pause mode) and shown in their status. */
  readonly maintenance: MaintenanceControl
  /** Cluster membership, when `cluster` is configured. */
  readonly cluster: ClusterService | undefined
  /** Which monitors this node runs (all of them, alone). */
  readonly ownership: Ownership
  readonly jobs: SingletonJobs
  readonly #configChanges = new Listeners<[number]>()
  readonly #pools: CheckPools
  readonly #writer: ResultWriter
  readonly #scheduler: Scheduler<Monitor>
  readonly #monitors = new Map<string, Monitor>()
  readonly #transitions = new Listeners<[StateChangeEvent]>()
  readonly #lags = new Listeners<[number]>()
  readonly #results = new Listeners<[CheckResult, Monitor]>()
  readonly #removals = new Listeners<[string, string]>()
  #status: EngineStatus = 'created'
  #scheduledAt: number | undefined
  #storageOpen = false

  /** Loads plugins (manifests, checks, storage) and builds an engine that is not started yet. */
  static async create(options: EngineOptions): Promise<Engine> {
    return new Engine(options, await loadEnginePlugins(options))
  }

  private constructor(options: EngineOptions, { catalog, checks, storage, authenticators, loader, cluster }: EnginePlugins) {
    this.cluster = cluster
    this.authenticators = authenticators
    this.config = options.config
    this.logger = options.logger
    this.checks = checks
    this.plugins = catalog.all
    this.storage = storage
    const pipeline = buildPipeline({
      settings: options.config.engine,
      checks,
      storage,
      state: this.state,
      metrics: this.metrics,
      logger: this.logger,
      onTransition: (e) => {
        this.#transitions.emit(e)
        void this.alerting.engine.onTransition(e)
        // Other nodes answer status reads for monitors they do not run from this cache.
        if (this.cluster !== undefined) void this.cluster.putLiveStatus(e.tenantId, [{ monitorId: e.monitorId, status: e.to, at: e.at, message: e.reason }]).catch(() => {})
      },
      onResult: (result, monitor) => {
        this.#results.emit(result, monitor)
        void this.alerting.engine.onResult(result, monitor)
      },
      onLag: (lag) => this.#lags.emit(lag),
      pushState: (monitor, now) => this.pushes.state(monitor, now)
    })
    this.hooks = pipeline.hooks
    this.#pools = pipeline.pools
    this.#writer = pipeline.writer
    this.#scheduler = pipeline.scheduler
    this.#runDeps = pipeline.deps
    const services = engineServices({
      config: options.config,
      baseDir: options.baseDir,
      logger: this.logger,
      storage,
      registry: this.metrics.registry,
      loader,
      notifiers: catalog.notifiers,
      checks,
      cluster,
      state: this.state,
      getMonitor: (id, tenantId) => this.getMonitor(id, tenantId),
      listMonitors: () => this.listMonitors(),
      scheduler: () => this.#scheduler,
      schedule: (m) => void this.#schedule(m),
      transition: (event) => this.#transition(event)
    })
    this.alerting = services.alerting
    this.ownership = services.ownership
    this.jobs = services.jobs
    this.maintenance = services.maintenance
    this.pushes = services.pushes
  }

  readonly #runDeps: RunDeps

  get status(): EngineStatus {
    return this.#status
  }

  /** Results accepted and results made durable: equal once the writer has caught up. */
  get resultCounts(): { pending: number; written: number } {
    return { pending: this.#writer.pending, written: this.#writer.written }
  }

  /** When start() had every config monitor in the scheduler (epoch ms). */
  get scheduledAt(): number | undefined {
    return this.#scheduledAt
  }

  get poolStats(): ReturnType<CheckPools['stats']> {
    return this.#pools.stats()
  }

  /** Connects storage and auth plugins; start() does it when not done yet. The config service needs storage before start. */
  async openStorage(): Promise<void> {
    if (this.#storageOpen) return
    await this.storage.start()
    for (const auth of this.authenticators) await auth.start?.()
    this.#storageOpen = true
  }

  /**
   * Restores kept states, schedules and persists the monitors (the config's,
   * or `monitors` when the config service decided another document).
   */
  async start(monitors: readonly Monitor[] = this.config.monitors, alerting: AlertingInput = this.config.alerting ?? {}): Promise<void> {
    if (this.#status !== 'created') throw new EngineStateError(`start() called while ${this.#status}`)
    this.#status = 'starting'
    await this.openStorage()
    const tenants = new Set(monitors.map((m) => m.tenantId).concat(DEFAULT_TENANT))
    for (const tenant of tenants) this.state.restore(await this.storage.monitorStates(tenant))
    // Join before scheduling, so this node starts with its own share only.
    await this.cluster?.start({
      membersChanged: () => this.ownership.rebalance(),
      configChanged: (version) => this.#configChanges.emit(version),
      meta: () => ({ monitors: this.#scheduler.size, version: ENGINE_VERSION })
    })
    // Schedule first, store after: monitors run on time from the start, and a
    // 100,000-monitor config is not held up by writing its records.
    // Results of early runs wait in the result writer if storage needs the records.
    if (this.cluster !== undefined && this.cluster.memberIds.length > 1) {
      // Joining a running cluster: the others run these monitors until the handover.
      for (const monitor of monitors) this.#monitors.set(`${monitor.tenantId}/${monitor.id}`, monitor)
      this.metrics.monitors.set(this.#monitors.size)
      this.ownership.join()
    } else {
      for (const monitor of monitors) this.#schedule(monitor)
    }
    this.#scheduler.start()
    this.#scheduledAt = Date.now()
    await storeMonitors(this.storage, monitors, this.logger)
    await this.alerting.apply(alerting)
    await this.alerting.start()
    this.maintenance.start()
    this.jobs.start()
    this.#status = 'running'
    await this.hooks.runParallel('onReady', undefined)
    this.logger.info({ monitors: this.#monitors.size, checks: [...this.checks.keys()], storage: this.config.storage.plugin }, 'engine running')
  }

  /**
   * Stops scheduling, waits for runs in flight (up to the shutdown timeout),
   * drains the result buffer, runs close hooks and closes storage and pools.
   */
  async stop(): Promise<void> {
    if (this.#status === 'stopped' || this.#status === 'stopping') return
    const wasRunning = this.#status === 'running' || this.#status === 'starting'
    this.#status = 'stopping'
    this.#scheduler.stop()
    if (wasRunning) {
      const deadline = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.config.engine.shutdownTimeoutMs).unref())
      const outcome = await Promise.race([this.#scheduler.idle().then(() => 'idle' as const), deadline])
      if (outcome === 'timeout') this.logger.warn({ running: this.#scheduler.running }, 'shutdown timeout: not waiting for the remaining runs')
    }
    try {
      await this.#writer.close()
    } catch (err) {
      this.logger.error({ err }, 'results still buffered at shutdown could not be written')
    }
    this.ownership.stop()
    await this.jobs.stop()
    await this.maintenance.stop()
    await this.cluster?.stop()
    await this.alerting.stop()
    await this.hooks.runClose()
    if (this.#storageOpen) {
      for (const auth of [...this.authenticators].reverse()) await auth.stop?.()
      await this.storage.stop()
    }
    await this.#pools.close()
    this.#status = 'stopped'
    this.logger.info({ written: this.#writer.written }, 'engine stopped')
  }

  // ---- runtime monitor management (the REST API builds on these) ----

  listMonitors(): Monitor[] {
    return [...this.#monitors.values()]
  }

  getMonitor(id: string, tenantId = DEFAULT_TENANT): Monitor | undefined {
    return this.#monitors.get(`${tenantId}/${id}`)
  }

  /** Adds or replaces a monitor; only a changed schedule moves its slot. */
  async upsertMonitor(monitor: Monitor): Promise<'added' | 'updated' | 'rescheduled'> {
    assertMonitorConfigs(this.checks, [monitor], `monitor ${monitor.id}`, () => '/config')
    await this.storage.putMonitor(toRecord(monitor, await this.storage.getMonitor(monitor.tenantId, monitor.id)))
    const outcome = this.#schedule(monitor)
    this.alerting.monitorsChanged()
    return outcome
  }

  /**
   * Makes the engine run exactly `monitors` (one tenant's whole set): removes
   * the ones not listed, adds new ones, replaces changed ones (a changed
   * schedule moves the slot, anything else keeps it) and leaves the rest alone.
   */
  async applyMonitors(monitors: readonly Monitor[], tenantId = DEFAULT_TENANT): Promise<{ added: number; changed: number; removed: number }> {
    assertMonitorConfigs(this.checks, monitors, 'the config')
    const wanted = new Map(monitors.map((m) => [m.id, m]))
    let removed = 0
    for (const m of this.listMonitors()) {
      if (m.tenantId === tenantId && !wanted.has(m.id)) {
        await this.#remove(m.id, tenantId)
        removed++
      }
    }
    let added = 0
    const changed: Monitor[] = []
    for (const m of monitors) {
      const before = this.getMonitor(m.id, m.tenantId)
      if (before === undefined) added++
      else if (JSON.stringify(before) === JSON.stringify(m)) continue
      changed.push(m)
    }
    for (const m of changed) this.#schedule(m)
    if (changed.length > 0 || removed > 0) this.alerting.monitorsChanged()
    await storeMonitors(this.storage, changed, this.logger)
    return { added, changed: changed.length - added, removed }
  }

  async removeMonitor(id: string, tenantId = DEFAULT_TENANT): Promise<boolean> {
    const removed = await this.#remove(id, tenantId)
    this.alerting.monitorsChanged()
    return removed
  }

  /** Removes one monitor; the caller tells alerting the set changed (once for a whole config). */
  async #remove(id: string, tenantId: string): Promise<boolean> {
    const had = this.#monitors.delete(`${tenantId}/${id}`)
    this.#scheduler.remove(tenantId, id)
    this.state.remove(tenantId, id)
    this.metrics.monitors.set(this.#monitors.size)
    const stored = await this.storage.deleteMonitor(tenantId, id)
    await this.pushes.forget(tenantId, id)
    await this.alerting.engine.monitorRemoved(tenantId, id)
    this.#removals.emit(tenantId, id)
    return had || stored
  }

  async pauseMonitor(id: string, tenantId = DEFAULT_TENANT): Promise<void> {
    const monitor = this.#require(id, tenantId)
    this.#scheduler.pause(tenantId, id)
    await this.#transition(this.state.set(monitor, 'paused', 'paused by request'))
  }

  async resumeMonitor(id: string, tenantId = DEFAULT_TENANT): Promise<void> {
    const monitor = this.#require(id, tenantId)
    this.#scheduler.resume(tenantId, id)
    // A heartbeat is not late for the time it was paused.
    if (this.checks.get(monitor.type)?.push === true) await this.pushes.pings.restart(tenantId, id, Date.now())
    await this.#transition(this.state.set(monitor, 'pending', 'resumed'))
  }

  /** Runs a monitor now; undefined when a run of it is already in flight. A monitor another node runs is run here, once. */
  async runNow(id: string, tenantId = DEFAULT_TENANT): Promise<CheckResult | undefined> {
    const monitor = this.#require(id, tenantId)
    if (!this.#scheduler.has(tenantId, id)) return runMonitor(this.#runDeps, monitor, Date.now())
    return (await this.#scheduler.runNow(tenantId, id)) as CheckResult | undefined
  }

  /** Told when another node of the cluster stored a new config version. */
  onConfigChanged(listener: (version: number) => void): () => void {
    return this.#configChanges.add(listener)
  }

  /** When the monitor runs next (epoch ms); undefined when paused or disabled. */
  nextRun(id: string, tenantId = DEFAULT_TENANT): number | undefined {
    return this.#scheduler.nextDue(tenantId, id)
  }

  /** Told how late each run started against its slot (benchmarks, diagnostics). */
  onScheduleLag(listener: (lagMs: number) => void): () => void {
    return this.#lags.add(listener)
  }

  /** Told about every final result, after onCheckResult hooks (per-monitor metrics, live views). */
  onResult(listener: (result: CheckResult, monitor: Monitor) => void): () => void {
    return this.#results.add(listener)
  }

  /** Told when a monitor is removed (caches keyed by monitor id drop it). */
  onMonitorRemoved(listener: (tenantId: string, id: string) => void): () => void {
    return this.#removals.add(listener)
  }

  onTransition(listener: (e: StateChangeEvent) => void): () => void {
    return this.#transitions.add(listener)
  }

  /** Drains buffered results to storage now (tests, API reads that must see the latest run). */
  flush(): Promise<void> {
    return this.#writer.flush()
  }

  #require(id: string, tenantId: string): Monitor {
    const monitor = this.getMonitor(id, tenantId)
    if (monitor === undefined) throw new MonitorNotFoundError(id)
    return monitor
  }

  #schedule(monitor: Monitor): 'added' | 'updated' | 'rescheduled' {
    this.#monitors.set(`${monitor.tenantId}/${monitor.id}`, monitor)
    this.metrics.monitors.set(this.#monitors.size)
    if (!monitor.enabled || !this.ownership.owns(monitor)) {
      this.#scheduler.remove(monitor.tenantId, monitor.id)
      return 'updated'
    }
    const kept = this.state.get(monitor.tenantId, monitor.id)
    const outcome = this.#scheduler.upsert(monitor)
    if (kept?.status === 'paused') this.#scheduler.pause(monitor.tenantId, monitor.id)
    return outcome
  }

  async #transition(event: StateChangeEvent | undefined): Promise<void> {
    if (event !== undefined) await recordTransition(this.#runDeps, event)
  }
}

export type { MonitorState }
