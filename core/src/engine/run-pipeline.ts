import type { CheckResult, Logger, PushState, StateChangeEvent, StorageInstance } from '@vedette/sdk'
import type { Monitor, VedetteConfig } from '../config/types.js'
import { CheckPools } from '../dispatch/check-pools.js'
import { HookRunner } from '../hooks/hook-runner.js'
import type { EngineMetrics } from '../metrics/engine-metrics.js'
import type { LoadedCheck } from '../plugins/plugin-descriptor.js'
import { Scheduler } from '../scheduler/scheduler.js'
import type { StateEngine } from '../state/state-engine.js'
import { ResultWriter } from '../storage/result-writer.js'
import { runMonitor } from './run-monitor.js'
import type { RunDeps } from './run-monitor.js'

export interface PipelineOptions {
  settings: VedetteConfig['engine']
  checks: ReadonlyMap<string, LoadedCheck>
  storage: StorageInstance
  state: StateEngine
  metrics: EngineMetrics
  logger: Logger
  onTransition(e: StateChangeEvent): void
  onResult(result: CheckResult, monitor: Monitor): void
  onLag(lagMs: number): void
  pushState(monitor: Monitor, now: number): Promise<PushState>
}

export interface Pipeline {
  hooks: HookRunner
  pools: CheckPools
  writer: ResultWriter
  scheduler: Scheduler<Monitor>
  deps: RunDeps
}

/** The run pipeline of docs/architecture.md: scheduler → pools → hooks → writer and state engine. */
export function buildPipeline(o: PipelineOptions): Pipeline {
  const { settings, metrics, logger } = o
  const hooks = new HookRunner({
    timeoutMs: settings.hookTimeoutMs,
    logger,
    onHandlerError: (hook, plugin) => metrics.hookErrors.inc({ hook, plugin })
  })
  // Hooks register in config order: first-party checks, storage, then listed plugins.
  for (const check of o.checks.values()) hooks.addPlugin(check.name, check.plugin.hooks)
  const pools = new CheckPools({
    workers: settings.workers,
    concurrencyPerWorker: settings.concurrencyPerWorker,
    maxQueue: settings.maxQueue,
    processWorkers: settings.processWorkers,
    logger
  })
  const writer = new ResultWriter({
    storage: o.storage,
    flushIntervalMs: settings.flushIntervalMs,
    logger,
    onWritten: (batch, ms) => {
      metrics.storageBatch.observe(batch.length)
      metrics.storageWrite.observe(ms / 1000)
      if (hooks.has('onPersist')) void hooks.runParallel('onPersist', { results: batch })
    }
  })
  const deps: RunDeps = {
    checks: o.checks,
    pools,
    hooks,
    state: o.state,
    writer,
    storage: o.storage,
    metrics,
    logger,
    onTransition: o.onTransition,
    onResult: o.onResult,
    pushState: o.pushState
  }
  const scheduler = new Scheduler<Monitor>({
    onDue: (monitor, dueAt) => runMonitor(deps, monitor, dueAt),
    onOverlap: (monitor) => {
      metrics.overlaps.inc()
      logger.debug({ monitorId: monitor.id }, 'slot skipped: previous run still going')
    },
    onLag: (lag) => {
      metrics.scheduleLag.observe(lag / 1000)
      o.onLag(lag)
    },
    onError: (err, monitor) => logger.error({ err, monitorId: monitor.id }, 'monitor run failed')
  })
  return { hooks, pools, writer, scheduler, deps }
}
