import type { Logger, StateChangeEvent, StorageInstance } from '@vedette/sdk'
import type { Registry } from 'prom-client'
import type { AlertingService } from '../alerts/alerting-service.js'
import type { ClusterService } from '../cluster/cluster-service.js'
import type { Monitor, VedetteConfig } from '../config/types.js'
import { PushMonitoring } from '../heartbeats/push-monitoring.js'
import type { LoadedCheck, PluginDescriptor } from '../plugins/plugin-descriptor.js'
import type { PluginLoader } from '../plugins/plugin-loader.js'
import type { Scheduler } from '../scheduler/scheduler.js'
import type { StateEngine } from '../state/state-engine.js'
import { createAlerting } from './create-alerting.js'
import { MaintenanceControl } from './maintenance-control.js'
import { Ownership } from './ownership.js'
import { SingletonJobs } from './singleton-jobs.js'

/** What the engine's services need from the engine itself. */
export interface EngineInternals {
  config: VedetteConfig
  baseDir: string
  logger: Logger
  storage: StorageInstance
  registry: Registry
  loader: PluginLoader
  notifiers: readonly PluginDescriptor[]
  checks: ReadonlyMap<string, LoadedCheck>
  cluster: ClusterService | undefined
  state: StateEngine
  getMonitor(id: string, tenantId: string): Monitor | undefined
  listMonitors(): Monitor[]
  /** The scheduler, once built (the services only call it after the engine exists). */
  scheduler(): Scheduler<Monitor>
  /** Puts a monitor in the scheduler (or out, when this node does not run it). */
  schedule(m: Monitor): void
  /** Records a status change the way runs do. */
  transition(event: StateChangeEvent | undefined): Promise<void>
}

export interface EngineServices {
  alerting: AlertingService
  ownership: Ownership
  jobs: SingletonJobs
  maintenance: MaintenanceControl
  pushes: PushMonitoring
}

/**
 * The services around the run pipeline: alerting, cluster ownership,
 * singleton jobs, maintenance windows and heartbeat pings, wired to the
 * engine's registry, scheduler and state.
 */
export function engineServices(e: EngineInternals): EngineServices {
  const ownership: Ownership = new Ownership({
    cluster: e.cluster,
    listMonitors: e.listMonitors,
    isScheduled: (m) => e.scheduler().has(m.tenantId, m.id),
    schedule: e.schedule,
    unschedule: (m) => e.scheduler().remove(m.tenantId, m.id),
    storedStates: (tenantId) => e.storage.monitorStates(tenantId),
    adoptStates: (states) => e.state.restore(states),
    released: (m) => alerting.engine.forgetMonitor(m.tenantId, m.id),
    logger: e.logger
  })
  const alerting: AlertingService = createAlerting({
    config: e.config,
    baseDir: e.baseDir,
    logger: e.logger,
    storage: e.storage,
    registry: e.registry,
    loader: e.loader,
    notifiers: e.notifiers,
    checks: e.checks,
    getMonitor: e.getMonitor,
    listMonitors: e.listMonitors,
    monitorState: (tenantId, id) => e.state.get(tenantId, id),
    isLocal: (tenantId, id) => {
      const m = e.getMonitor(id, tenantId)
      return m === undefined ? (e.cluster?.isLeader ?? true) : ownership.owns(m)
    }
  })
  const maintenance = new MaintenanceControl({
    listMonitors: e.listMonitors,
    windowFor: (monitor, now) => alerting.maintenanceFor(monitor, now),
    hasWindows: () => alerting.engine.config.maintenance.length > 0,
    pause: (m) => e.scheduler().pause(m.tenantId, m.id),
    resume: (m) => {
      if (e.state.get(m.tenantId, m.id)?.status !== 'paused') e.scheduler().resume(m.tenantId, m.id)
    },
    setStatus: async (m, status, reason) => {
      if (e.state.get(m.tenantId, m.id)?.status === 'paused') return
      await e.transition(e.state.set(m, status, reason))
    },
    logger: e.logger
  })
  const pushes = new PushMonitoring({
    storage: e.storage,
    getMonitor: e.getMonitor,
    isPush: (type) => e.checks.get(type)?.push === true,
    startRun: (id, tenantId) => {
      const run = e.scheduler().runNow(tenantId, id)
      void run?.catch(() => {}) // the scheduler's onError has logged it
      return run !== undefined
    },
    isPaused: (id, tenantId) => e.state.get(tenantId, id)?.status === 'paused',
    logger: e.logger
  })
  const jobs = new SingletonJobs(e.storage, e.logger, () => e.cluster?.isLeader ?? true)
  return { alerting, ownership, jobs, maintenance, pushes }
}
