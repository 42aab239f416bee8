import { Piscina } from 'piscina'
import { Tinypool } from 'tinypool'
import type { CheckTask, CheckTaskResult } from '@vedette/sdk/worker'
import type { Logger } from '@vedette/sdk'

export interface CheckPoolsOptions {
  /** Worker threads for thread-isolated checks. */
  workers: number
  /** Checks one worker thread runs at once (they wait on I/O, not CPU). */
  concurrencyPerWorker: number
  /** Runs allowed to wait for a free slot; beyond it a run is recorded as overloaded. */
  maxQueue: number
  /** Child processes for process-isolated checks. */
  processWorkers: number
  logger: Logger
}

export interface PoolStats {
  threads: number
  queued: number
  running: number
  /** Piscina's utilisation estimate, 0..1. */
  utilization: number
  processQueued: number
}

/** Past its deadline a thread task gets this long to report before the engine stops waiting. */
const THREAD_GRACE_MS = 2_000
/** Past its deadline a process task gets this long before its process is killed. */
const PROCESS_GRACE_MS = 500

/**
 * The two pools every check runs in. Trusted, I/O-bound plugins share piscina
 * worker threads, many checks per thread; the deadline is enforced inside the
 * worker entry (an AbortSignal handed to piscina would serialise the worker).
 * `isolation: process` plugins get a tinypool child process per task, killed
 * outright when the deadline passes. `run` never rejects: every failure of
 * the machinery becomes a result for that one check.
 */
export class CheckPools {
  readonly #opts: CheckPoolsOptions
  readonly #threads: Piscina<CheckTask, CheckTaskResult>
  #processes: Tinypool | undefined
  #running = 0
  readonly #entry = import.meta.resolve('@vedette/sdk/worker')

  constructor(options: CheckPoolsOptions) {
    this.#opts = options
    this.#threads = new Piscina<CheckTask, CheckTaskResult>({
      filename: this.#entry,
      minThreads: options.workers,
      maxThreads: options.workers,
      concurrentTasksPerWorker: options.concurrencyPerWorker,
      maxQueue: options.maxQueue,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Checks keep sockets and timers between runs; 'sync' atomics would freeze them between tasks.
      atomics: 'disabled',
      recordTiming: false
    })
    // A worker that dies (native crash, OOM) is replaced by piscina; its tasks reject and become `crashed` results.
    this.#threads.on('error', (err: unknown) => options.logger.error({ err }, 'check worker thread failed'))
  }

  stats(): PoolStats {
    return {
      threads: this.#threads.threads.length,
      queued: this.#threads.queueSize,
      running: this.#running,
      utilization: this.#threads.utilization,
      processQueued: this.#processes?.queueSize ?? 0
    }
  }

  async run(task: CheckTask, isolation: 'thread' | 'process'): Promise<CheckTaskResult> {
    const startedAt = Date.now()
    if (isolation === 'thread' && this.#threads.queueSize >= this.#opts.maxQueue) {
      return overloaded(startedAt)
    }
    this.#running++
    try {
      return isolation === 'process' ? await this.#runIsolated(task, startedAt) : await this.#runThread(task, startedAt)
    } finally {
      this.#running--
    }
  }

  async #runThread(task: CheckTask, startedAt: number): Promise<CheckTaskResult> {
    let timer: NodeJS.Timeout | undefined
    // Only reached when a plugin blocks its thread's event loop (a busy loop): the
    // worker entry's own deadline cannot fire then. Such plugins belong in `isolation: process`.
    const watchdog = new Promise<CheckTaskResult>((resolve) => {
      timer = setTimeout(() => {
        this.#opts.logger.error({ monitorId: task.monitor.id, module: task.module }, 'check blocked its worker thread past the deadline; declare isolation: process for CPU-bound plugins')
        resolve(timedOut(startedAt, task.timeoutMs, 'the check blocked its worker thread'))
      }, task.timeoutMs + THREAD_GRACE_MS)
      timer.unref()
    })
    try {
      return await Promise.race([this.#threads.run(task), watchdog])
    } catch (err) {
      return failed(startedAt, err)
    } finally {
      clearTimeout(timer)
    }
  }

  async #runIsolated(task: CheckTask, startedAt: number): Promise<CheckTaskResult> {
    this.#processes ??= new Tinypool({
      filename: this.#entry,
      runtime: 'child_process',
      // One task per process: a misbehaving plugin never sees another check's state.
      isolateWorkers: true,
      minThreads: 0,
      maxThreads: this.#opts.processWorkers,
      maxQueue: this.#opts.maxQueue
    })
    if (this.#processes.queueSize >= this.#opts.maxQueue) return overloaded(startedAt)
    const signal = AbortSignal.timeout(task.timeoutMs + PROCESS_GRACE_MS)
    try {
      return (await this.#processes.run(task, { signal })) as CheckTaskResult
    } catch (err) {
      if (signal.aborted) return timedOut(startedAt, task.timeoutMs, 'the check process was killed at its deadline')
      return failed(startedAt, err)
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#threads.close({ force: false }), this.#processes?.destroy()])
  }
}

function overloaded(startedAt: number): CheckTaskResult {
  return { status: 'unknown', reason: 'overloaded', message: 'dispatch queue is full; run not started', startedAt, latencyMs: 0 }
}

function timedOut(startedAt: number, timeoutMs: number, why: string): CheckTaskResult {
  return { status: 'down', reason: 'timeout', message: `Check did not finish within ${timeoutMs} ms (${why})`, startedAt, latencyMs: Date.now() - startedAt }
}

function failed(startedAt: number, err: unknown): CheckTaskResult {
  return {
    status: 'unknown',
    reason: 'crashed',
    message: `check worker failed: ${(err as Error)?.message ?? String(err)}`,
    startedAt,
    latencyMs: Date.now() - startedAt
  }
}
