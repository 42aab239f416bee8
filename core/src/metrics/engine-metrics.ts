import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { PoolStats } from '../dispatch/check-pools.js'

/**
 * The engine's own series. Kept in one registry per engine so that two
 * engines in one process (tests, benchmarks) never share counters; the REST
 * layer serves it at /metrics.
 */
export class EngineMetrics {
  readonly registry = new Registry()
  readonly checks = new Counter({
    name: 'vedette_checks_total',
    help: 'Check runs finished, by check type and result status',
    labelNames: ['type', 'status'] as const,
    registers: [this.registry]
  })
  readonly checkDuration = new Histogram({
    name: 'vedette_check_duration_seconds',
    help: 'Duration of check runs as measured by the check',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry]
  })
  readonly scheduleLag = new Histogram({
    name: 'vedette_schedule_lag_seconds',
    help: 'How late runs started against their scheduled slot',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry]
  })
  readonly overlaps = new Counter({
    name: 'vedette_schedule_overlaps_total',
    help: 'Slots skipped because the previous run of the monitor was still going',
    registers: [this.registry]
  })
  readonly vetoes = new Counter({
    name: 'vedette_schedule_vetoes_total',
    help: 'Runs vetoed by an onSchedule hook',
    labelNames: ['plugin'] as const,
    registers: [this.registry]
  })
  readonly hookErrors = new Counter({
    name: 'vedette_hook_errors_total',
    help: 'Hook handlers that threw or timed out, by plugin and hook',
    labelNames: ['plugin', 'hook'] as const,
    registers: [this.registry]
  })
  readonly transitions = new Counter({
    name: 'vedette_state_transitions_total',
    help: 'Monitor status transitions, by target status',
    labelNames: ['to'] as const,
    registers: [this.registry]
  })
  readonly storageBatch = new Histogram({
    name: 'vedette_storage_batch_size',
    help: 'Results per storage write batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000],
    registers: [this.registry]
  })
  readonly storageWrite = new Histogram({
    name: 'vedette_storage_write_seconds',
    help: 'Latency of storage write batches',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [this.registry]
  })
  readonly monitors = new Gauge({
    name: 'vedette_monitors',
    help: 'Monitors known to the scheduler',
    registers: [this.registry]
  })
  // The pool gauges read the pools at scrape time (collect) instead of being
  // set on every dispatch: a scrape every 15 s costs nothing per check.
  readonly dispatchQueue = new Gauge({
    name: 'vedette_dispatch_queue_depth',
    help: 'Checks waiting for a worker, by pool (thread: piscina threads, process: isolated child processes)',
    labelNames: ['pool'] as const,
    registers: [this.registry],
    collect: () => {
      const stats = this.#poolStats?.()
      if (stats === undefined) return
      this.dispatchQueue.set({ pool: 'thread' }, stats.queued)
      this.dispatchQueue.set({ pool: 'process' }, stats.processQueued)
    }
  })
  readonly checksRunning = new Gauge({
    name: 'vedette_checks_running',
    help: 'Checks dispatched to a pool and not finished yet',
    registers: [this.registry],
    collect: () => {
      const stats = this.#poolStats?.()
      if (stats !== undefined) this.checksRunning.set(stats.running)
    }
  })
  readonly poolUtilization = new Gauge({
    name: 'vedette_pool_utilization_ratio',
    help: "Utilisation of the thread pool, 0 to 1 (piscina's estimate)",
    registers: [this.registry],
    collect: () => {
      const stats = this.#poolStats?.()
      if (stats !== undefined) this.poolUtilization.set(stats.utilization)
    }
  })
  readonly poolThreads = new Gauge({
    name: 'vedette_pool_threads',
    help: 'Worker threads in the thread pool',
    registers: [this.registry],
    collect: () => {
      const stats = this.#poolStats?.()
      if (stats !== undefined) this.poolThreads.set(stats.threads)
    }
  })
  #poolStats: (() => PoolStats) | undefined

  /**
   * Where the pool gauges read from. The engine builds its metrics before its
   * pools (hook errors are counted from the first hook on), so the pools are
   * attached afterwards rather than passed in.
   */
  readPoolsFrom(read: () => PoolStats): void {
    this.#poolStats = read
  }
}
