import type { CheckResult, Logger, PushState, StateChangeEvent, Storage } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import type { CheckPools } from '../dispatch/check-pools.js'
import type { HookRunner } from '../hooks/hook-runner.js'
import type { EngineMetrics } from '../metrics/engine-metrics.js'
import type { LoadedCheck } from '../plugins/plugin-descriptor.js'
import type { StateEngine } from '../state/state-engine.js'
import type { ResultWriter } from '../storage/result-writer.js'
import { runWithRetries } from './retry-run.js'

export interface RunDeps {
  checks: ReadonlyMap<string, LoadedCheck>
  pools: CheckPools
  hooks: HookRunner
  state: StateEngine
  writer: ResultWriter
  storage: Pick<Storage, 'recordTransition'>
  metrics: EngineMetrics
  logger: Logger
  /** Told about every transition after it is stored. */
  onTransition?: (event: StateChangeEvent) => void
  /** Told about every final result (per-monitor metrics, live views). */
  onResult?: (result: CheckResult, monitor: Monitor) => void
  /** The pings of a push (heartbeat) monitor, for its runs. */
  pushState?: (monitor: Monitor, now: number) => Promise<PushState>
}

/**
 * One run of one monitor through the whole pipeline: onSchedule (veto) →
 * pool → onCheckResult → batched write + state engine → onStateChange.
 * Returns the final result, or undefined when the run was vetoed.
 */
export async function runMonitor(deps: RunDeps, monitor: Monitor, dueAt: number): Promise<CheckResult | undefined> {
  const { hooks, metrics } = deps
  if (hooks.has('onSchedule')) {
    const veto = await hooks.runSchedule({ tenantId: monitor.tenantId, monitorId: monitor.id, type: monitor.type, tags: monitor.tags, dueAt })
    if (veto !== undefined) {
      metrics.vetoes.inc({ plugin: veto.by })
      deps.logger.debug({ monitorId: monitor.id, veto: veto.veto, by: veto.by }, 'run vetoed')
      return undefined
    }
  }
  const check = deps.checks.get(monitor.type)
  let result: CheckResult
  if (check === undefined) {
    // Config validation makes this unreachable unless a plugin was removed at runtime.
    result = { tenantId: monitor.tenantId, monitorId: monitor.id, startedAt: Date.now(), latencyMs: 0, status: 'unknown', reason: 'error', message: `no check plugin for type '${monitor.type}'` }
  } else {
    const task = {
      module: check.moduleUrl,
      monitor: { tenantId: monitor.tenantId, id: monitor.id, name: monitor.name, tags: monitor.tags },
      config: monitor.config,
      timeoutMs: monitor.timeoutMs ?? check.defaultTimeoutMs,
      ...(monitor.assertions === undefined ? {} : { assertions: monitor.assertions }),
      ...(check.push && deps.pushState ? { pushes: await deps.pushState(monitor, Date.now()) } : {})
    }
    const out = await runWithRetries(monitor, () => deps.pools.run(task, check.isolation))
    result = { ...out, tenantId: monitor.tenantId, monitorId: monitor.id }
  }
  if (hooks.has('onCheckResult')) result = await hooks.runCheckResult(result)
  metrics.checks.inc({ type: monitor.type, status: result.status })
  if (result.reason !== 'overloaded') metrics.checkDuration.observe({ type: monitor.type }, result.latencyMs / 1000)
  deps.writer.push(result)
  deps.onResult?.(result, monitor)

  const event = deps.state.observe(monitor, result)
  if (event !== undefined) await recordTransition(deps, event)
  return result
}

/**
 * Everything a status transition sets off, whether results or a request
 * (pause, resume) caused it: count, log, store (a storage failure is logged,
 * the transition still happened), tell listeners, run onStateChange.
 */
export async function recordTransition(deps: Pick<RunDeps, 'metrics' | 'logger' | 'storage' | 'onTransition' | 'hooks'>, event: StateChangeEvent): Promise<void> {
  deps.metrics.transitions.inc({ to: event.to })
  deps.logger.info({ monitorId: event.monitorId, from: event.from, to: event.to, reason: event.reason }, `monitor ${event.monitorId} is ${event.to}`)
  try {
    await deps.storage.recordTransition(event)
  } catch (err) {
    deps.logger.error({ err, monitorId: event.monitorId }, 'storing a state transition failed')
  }
  deps.onTransition?.(event)
  await deps.hooks.runParallel('onStateChange', event)
}
