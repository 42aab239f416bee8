/**
 * The two ways the storage bench feeds a store: through the engine's
 * ResultWriter (the path every check result takes in a running engine) and
 * with the plugin's writeResults called directly, one batch after another.
 * Both report wall time, the time of each writeResults call, and what the
 * process and the machine did meanwhile.
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { setImmediate as turn } from 'node:timers/promises'
import { ResultWriter } from '@vedette/core'
import { silentLogger, type StorageInstance } from '@vedette/sdk'
import type { ResultStream } from './storage-results.js'

export interface DriveFigures extends ProbeFigures {
  /** Results made durable. */
  results: number
  /** From the first result produced until the last one was durable. */
  wallMs: number
  /** Duration of each writeResults call (one batch each). */
  batchMs: number[]
  /** [ms since start, results durable] after each batch: the rate as the table grows. */
  progress: Array<[number, number]>
}

export interface DriveOptions {
  total: number
  /** The writer's maxBatch / the direct path's batch size. */
  batch: number
  /** The engine's default flush interval; at saturation batches fill before it fires. */
  flushIntervalMs: number
  /** Progress on stderr every this many results. */
  progressEvery: number
  label: string
}

/** Results arrive in the engine a handful per event-loop turn (worker messages); this many here. */
const PER_TURN = 100

/**
 * Pushes results into a ResultWriter as fast as it takes them. The engine's
 * producers are bounded by its dispatch queue; here the writer's backlog is:
 * past a few batches the producer waits for the writer to drain, so the rate
 * measured is the writer's and the store's, not the producer's.
 */
export async function throughWriter(storage: StorageInstance, stream: ResultStream, o: DriveOptions): Promise<DriveFigures> {
  const batchMs: number[] = []
  const progress: Array<[number, number]> = []
  const ticker = new Ticker(o)
  let durable = 0
  const writer = new ResultWriter({
    storage,
    flushIntervalMs: o.flushIntervalMs,
    maxBatch: o.batch,
    logger: silentLogger,
    onWritten: (batch, ms) => {
      batchMs.push(ms)
      durable += batch.length
      progress.push([ticker.elapsed(), durable])
      ticker.tick(durable)
    }
  })
  const maxPending = o.batch * 4
  const probe = startProbe()
  let pushed = 0
  while (pushed < o.total) {
    const n = Math.min(PER_TURN, o.total - pushed)
    for (let i = 0; i < n; i++) writer.push(stream.next())
    pushed += n
    if (writer.pending >= maxPending) await writer.flush()
    else await turn()
  }
  await writer.close()
  const wallMs = ticker.elapsed()
  return { results: writer.written, wallMs, batchMs, progress, ...probe() }
}

/** Calls writeResults with one batch at a time, awaiting each. */
export async function direct(storage: StorageInstance, stream: ResultStream, o: DriveOptions): Promise<DriveFigures> {
  const batchMs: number[] = []
  const progress: Array<[number, number]> = []
  const ticker = new Ticker(o)
  const probe = startProbe()
  let written = 0
  while (written < o.total) {
    const batch = stream.batch(Math.min(o.batch, o.total - written))
    const t = performance.now()
    await storage.writeResults(batch)
    batchMs.push(performance.now() - t)
    written += batch.length
    progress.push([ticker.elapsed(), written])
    ticker.tick(written)
  }
  const wallMs = ticker.elapsed()
  return { results: written, wallMs, batchMs, progress, ...probe() }
}

/** How long producing `total` results takes on its own (it is inside both paths' wall time). */
export function generationMs(stream: ResultStream, total: number): number {
  const t0 = performance.now()
  let sink = 0
  for (let i = 0; i < total; i++) sink += stream.next().latencyMs
  const ms = performance.now() - t0
  if (sink < 0) console.log(sink) // keeps the loop from being optimised away
  return ms
}

/** Elapsed time since construction and a progress line on stderr every `progressEvery` results. */
export class Ticker {
  readonly #t0 = performance.now()
  readonly #o: Pick<DriveOptions, 'total' | 'progressEvery' | 'label'>
  #next: number
  #last: [number, number] = [0, 0]

  constructor(o: Pick<DriveOptions, 'total' | 'progressEvery' | 'label'>) {
    this.#o = o
    this.#next = o.progressEvery
  }

  elapsed(): number {
    return performance.now() - this.#t0
  }

  /** `ms`: the time the rate is over, when it is not the wall time (raw rows). */
  tick(done: number, ms = this.elapsed()): void {
    if (done < this.#next) return
    const [ms0, done0] = this.#last
    const rate = ((done - done0) * 1000) / Math.max(1, ms - ms0)
    process.stderr.write(`  [${this.#o.label}] ${done.toLocaleString('en-US')} / ${this.#o.total.toLocaleString('en-US')} after ${(ms / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString('en-US')}/s since the last line\n`)
    this.#last = [ms, done]
    while (this.#next <= done) this.#next += this.#o.progressEvery
  }
}

export interface ProbeFigures {
  /** CPU of this process (all threads, user + system), µs. */
  cpuUs: number
  /** All cores, % busy (user + system + irq): this process, the PostgreSQL server and anything else on the machine. */
  machineBusyPct: number
  /** What this process wrote (write/pwrite bytes and calls, /proc/self/io): SQLite's WAL and checkpoints. */
  writtenBytes: number
  writeCalls: number
}

/** Starts measuring this process and the machine; the returned function gives the figures since. */
export function startProbe(): () => ProbeFigures {
  const cpu0 = process.cpuUsage()
  const machine0 = machineTimes()
  const io0 = processIo()
  return () => {
    const cpu = process.cpuUsage(cpu0)
    const machine = machineTimes()
    const io = processIo()
    const total = machine.total - machine0.total
    return {
      cpuUs: cpu.user + cpu.system,
      machineBusyPct: total === 0 ? Number.NaN : ((machine.busy - machine0.busy) / total) * 100,
      writtenBytes: io.wchar - io0.wchar,
      writeCalls: io.syscw - io0.syscw
    }
  }
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0
  let total = 0
  for (const { times } of os.cpus()) {
    busy += times.user + times.nice + times.sys + times.irq
    total += times.user + times.nice + times.sys + times.irq + times.idle
  }
  return { busy, total }
}

/** wchar and syscw of /proc/self/io; NaN where the file does not exist (not Linux). */
function processIo(): { wchar: number; syscw: number } {
  try {
    const text = readFileSync('/proc/self/io', 'utf8')
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
    return { wchar: field('wchar'), syscw: field('syscw') }
  } catch {
    return { wchar: Number.NaN, syscw: Number.NaN }
  }
}
