import { TimerHeap } from './timer-heap.js'
import type { HeapItem } from './timer-heap.js'
import { nextRun, sameSchedule } from './next-run.js'
import type { Schedule } from './next-run.js'

/** What the scheduler needs to know of a monitor. */
export interface Schedulable {
  tenantId: string
  id: string
  schedule: Schedule
}

export interface SchedulerOptions<M extends Schedulable> {
  /** Runs one due monitor; the scheduler will not start that monitor again until the promise settles. */
  onDue(monitor: M, dueAt: number): Promise<unknown>
  /** A due run was skipped because the previous one was still going. */
  onOverlap?(monitor: M, dueAt: number): void
  /** How late each run started against its slot, in ms. */
  onLag?(lagMs: number): void
  onError?(err: unknown, monitor: M): void
}

interface Job<M> extends HeapItem {
  key: string
  monitor: M
  paused: boolean
  running: Promise<unknown> | undefined
}

/** Longest delay setTimeout accepts (about 24.8 days); later slots are re-armed on the way. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * All monitors in one timer heap behind one timer: cost is O(log n) per run
 * and one timer for the process, whatever the monitor count (a timer or cron
 * job per monitor costs ~10 KB each and wakes the loop for nothing). A monitor
 * never overlaps itself: a slot that comes due while its previous run is still
 * going is skipped and reported, and the next slot is kept.
 */
export class Scheduler<M extends Schedulable> {
  readonly #opts: SchedulerOptions<M>
  readonly #heap = new TimerHeap<Job<M>>()
  readonly #jobs = new Map<string, Job<M>>()
  #timer: NodeJS.Timeout | undefined
  #armedFor = Number.NaN
  #started = false

  constructor(options: SchedulerOptions<M>) {
    this.#opts = options
  }

  get size(): number {
    return this.#jobs.size
  }

  get running(): number {
    let n = 0
    for (const job of this.#jobs.values()) if (job.running) n++
    return n
  }

  /** Adds or changes a monitor. Only a changed schedule moves its slot; a config change keeps it. */
  upsert(monitor: M): 'added' | 'updated' | 'rescheduled' {
    const key = jobKey(monitor.tenantId, monitor.id)
    const job = this.#jobs.get(key)
    if (job === undefined) {
      const fresh: Job<M> = { key, monitor, paused: false, running: undefined, heapIndex: -1, dueAt: nextRun(monitor.schedule, key, Date.now()) }
      this.#jobs.set(key, fresh)
      this.#heap.push(fresh)
      this.#arm()
      return 'added'
    }
    const moved = !sameSchedule(job.monitor.schedule, monitor.schedule)
    job.monitor = monitor
    if (!moved) return 'updated'
    job.dueAt = nextRun(monitor.schedule, key, Date.now())
    if (!job.paused) this.#heap.update(job)
    this.#arm()
    return 'rescheduled'
  }

  remove(tenantId: string, id: string): boolean {
    const job = this.#jobs.get(jobKey(tenantId, id))
    if (job === undefined) return false
    this.#jobs.delete(job.key)
    this.#heap.remove(job)
    this.#arm()
    return true
  }

  has(tenantId: string, id: string): boolean {
    return this.#jobs.has(jobKey(tenantId, id))
  }

  pause(tenantId: string, id: string): boolean {
    const job = this.#jobs.get(jobKey(tenantId, id))
    if (job === undefined || job.paused) return false
    job.paused = true
    this.#heap.remove(job)
    this.#arm()
    return true
  }

  resume(tenantId: string, id: string): boolean {
    const job = this.#jobs.get(jobKey(tenantId, id))
    if (job === undefined || !job.paused) return false
    job.paused = false
    job.dueAt = nextRun(job.monitor.schedule, job.key, Date.now())
    this.#heap.push(job)
    this.#arm()
    return true
  }

  isPaused(tenantId: string, id: string): boolean {
    return this.#jobs.get(jobKey(tenantId, id))?.paused ?? false
  }

  /** When the monitor's next run is due (epoch ms), if it is scheduled. */
  nextDue(tenantId: string, id: string): number | undefined {
    const job = this.#jobs.get(jobKey(tenantId, id))
    return job && !job.paused ? job.dueAt : undefined
  }

  /**
   * Runs a monitor now, outside its slots, with the same no-overlap rule:
   * returns undefined when a run is already going.
   */
  runNow(tenantId: string, id: string): Promise<unknown> | undefined {
    const job = this.#jobs.get(jobKey(tenantId, id))
    if (job === undefined || job.running) return undefined
    return this.#start(job, Date.now())
  }

  start(): void {
    this.#started = true
    this.#arm()
  }

  /** Stops firing; runs in flight go on. */
  stop(): void {
    this.#started = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#armedFor = Number.NaN
  }

  /** Settles when every run in flight has ended. */
  async idle(): Promise<void> {
    const running = [...this.#jobs.values()].map((j) => j.running).filter((p) => p !== undefined)
    await Promise.allSettled(running)
  }

  #arm(): void {
    if (!this.#started) return
    const top = this.#heap.peek()
    if (top === undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
      this.#armedFor = Number.NaN
      return
    }
    if (this.#timer !== undefined && this.#armedFor === top.dueAt) return
    clearTimeout(this.#timer)
    this.#armedFor = top.dueAt
    this.#timer = setTimeout(() => this.#tick(), Math.min(MAX_DELAY, Math.max(0, top.dueAt - Date.now())))
  }

  #tick(): void {
    this.#timer = undefined
    this.#armedFor = Number.NaN
    const now = Date.now()
    for (let top = this.#heap.peek(); top !== undefined && top.dueAt <= now; top = this.#heap.peek()) {
      const dueAt = top.dueAt
      // Next slot after *now*: after a stall, missed slots are dropped rather than fired in a burst.
      top.dueAt = nextRun(top.monitor.schedule, top.key, Math.max(now, dueAt))
      this.#heap.update(top)
      if (top.running) {
        this.#opts.onOverlap?.(top.monitor, dueAt)
        continue
      }
      this.#opts.onLag?.(now - dueAt)
      void this.#start(top, dueAt)
    }
    this.#arm()
  }

  #start(job: Job<M>, dueAt: number): Promise<unknown> {
    // Deferred by a microtask so `running` is set before onDue can settle, even synchronously.
    const run: Promise<unknown> = Promise.resolve()
      .then(() => this.#opts.onDue(job.monitor, dueAt))
      .catch((err: unknown) => {
        this.#opts.onError?.(err, job.monitor)
        return undefined
      })
      .finally(() => {
        if (job.running === run) job.running = undefined
      })
    job.running = run
    return run
  }
}

export function jobKey(tenantId: string, id: string): string {
  return `${tenantId}/${id}`
}
