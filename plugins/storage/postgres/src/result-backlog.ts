import { mkdir, open } from 'node:fs/promises'
import type { Logger } from '@vedette/sdk'
import { SpillFile, type QueuedBatch } from './spill-file.js'

export interface ResultBacklogOptions {
  /** Results held in memory before new ones go to a spill file. */
  bufferLimit: number
  /** About how many results one replay transaction writes. */
  batchSize: number
  spillDir: string
  spillPrefix: string
  /** Writes batches in one transaction; throws when PostgreSQL is still unreachable. */
  write(batches: QueuedBatch[]): Promise<void>
  /** A loggable, redacted description of a write error. */
  describe(err: unknown): unknown
  logger: Logger
}

/** A run of queued batches in one place; segments replay strictly in order. */
type Segment = { kind: 'memory'; batches: QueuedBatch[] } | { kind: 'file'; file: SpillFile; sealed: boolean }

const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 5_000

/**
 * Results accepted while PostgreSQL was unreachable, oldest first: in memory
 * up to `bufferLimit`, then appended to a spill file. A background loop
 * replays them with exponential backoff (250 ms doubling to 5 s, jittered),
 * memory and files in the order they were queued, deleting each file once it
 * is written. Replays are idempotent (each batch carries an id the write
 * transaction records), so a batch whose COMMIT reply was lost is not written
 * twice. While anything is queued, new batches queue behind it.
 */
export class ResultBacklog {
  readonly #o: ResultBacklogOptions
  #segments: Segment[] = []
  #inMemory = 0
  #loop: Promise<void> | undefined
  #halted = false
  #wake: (() => void) | undefined
  #idle: (() => void)[] = []

  constructor(options: ResultBacklogOptions) {
    this.#o = options
  }

  get empty(): boolean {
    return this.#segments.length === 0
  }

  /** Results waiting, in memory and in spill files. */
  get size(): { memory: number; spilled: number } {
    let spilled = 0
    for (const s of this.#segments) if (s.kind === 'file') spilled += s.file.results
    return { memory: this.#inMemory, spilled }
  }

  /** Queues spill files left by stopped or dead stores ahead of anything else, and starts replaying them. */
  async recover(): Promise<number> {
    const files = await SpillFile.adoptOrphans(this.#o.spillDir, this.#o.spillPrefix)
    this.#segments.unshift(...files.map((file): Segment => ({ kind: 'file', file, sealed: true })))
    const results = files.reduce((n, f) => n + f.results, 0)
    if (files.length > 0) {
      this.#o.logger.warn({ files: files.map((f) => f.path), results }, 'postgres: replaying results spilled by a previous run')
      this.kick()
    }
    return results
  }

  /** Queues a batch (in memory, or on disk beyond the limit); resolves once it is held. */
  async add(batch: QueuedBatch): Promise<void> {
    const n = batch.results.length
    const last = this.#segments[this.#segments.length - 1]
    // Once spilling, keep appending to the file until it is replayed: memory
    // freed meanwhile is not reused, so batches never hop between the two.
    if (last?.kind === 'file' && !last.sealed) return last.file.append([batch])
    if (this.#inMemory + n <= this.#o.bufferLimit) {
      if (last?.kind === 'memory') last.batches.push(batch)
      else this.#segments.push({ kind: 'memory', batches: [batch] })
      this.#inMemory += n
      return
    }
    const segment: Segment = { kind: 'file', file: await SpillFile.create(this.#o.spillDir, this.#o.spillPrefix), sealed: false }
    this.#segments.push(segment)
    this.#o.logger.warn({ path: segment.file.path, bufferLimit: this.#o.bufferLimit }, 'postgres: result buffer full; spilling results to disk')
    return segment.file.append([batch])
  }

  /** Starts the replay loop if it is not running; with `now`, also cuts a backoff wait short. */
  kick(now = false): void {
    if (now) this.#wake?.()
    if (this.#loop !== undefined || this.#halted || this.empty) return
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined
      const idle = this.#idle
      this.#idle = []
      for (const resolve of idle) resolve()
    })
  }

  /** Replays until empty or `timeoutMs` passed; true when everything was written. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.empty) return true
    this.kick(true)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
    ])
    clearTimeout(timer)
    return this.empty
  }

  /**
   * Stops replaying and hands what is left (including a batch whose write is
   * still in flight: its id makes a second write harmless) to one orphan spill
   * file that the next start of a store for this database adopts. Returns the
   * file, or undefined when nothing was left.
   */
  async close(): Promise<string | undefined> {
    this.#halted = true
    this.#wake?.()
    if (this.empty) return undefined
    const path = SpillFile.orphanPath(this.#o.spillDir, this.#o.spillPrefix)
    await mkdir(this.#o.spillDir, { recursive: true })
    const out = await open(path, 'wx')
    try {
      for (const segment of this.#segments) {
        if (segment.kind === 'memory') await out.appendFile(segment.batches.map((b) => JSON.stringify(b) + '\n').join(''))
        else for await (const batches of segment.file.remaining()) await out.appendFile(batches.map((b) => JSON.stringify(b) + '\n').join(''))
      }
      await out.datasync()
    } finally {
      await out.close()
    }
    for (const segment of this.#segments) if (segment.kind === 'file') await segment.file.remove()
    this.#segments = []
    this.#inMemory = 0
    return path
  }

  async #run(): Promise<void> {
    let failures = 0
    while (!this.#halted && this.#segments.length > 0) {
      const segment = this.#segments[0] as Segment
      try {
        if (segment.kind === 'memory') await this.#replayMemory(segment)
        else await this.#replayFile(segment)
        if (failures > 0) this.#o.logger.info({ left: this.size }, 'postgres: reachable again; replaying buffered results')
        failures = 0
      } catch (err) {
        if (this.#halted) return
        failures++
        // Log the first failure and then every tenth: an outage of a minute is
        // a few dozen retries, not a few dozen lines.
        if (failures === 1 || failures % 10 === 0) {
          this.#o.logger.warn({ err: this.#o.describe(err), failures, buffered: this.size }, 'postgres: replaying buffered results failed; retrying')
        }
        const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1))
        await this.#sleep(wait / 2 + Math.random() * (wait / 2))
      }
    }
  }

  async #replayMemory(segment: Extract<Segment, { kind: 'memory' }>): Promise<void> {
    const take: QueuedBatch[] = []
    let results = 0
    for (const b of segment.batches) {
      if (take.length > 0 && results + b.results.length > this.#o.batchSize) break
      take.push(b)
      results += b.results.length
    }
    await this.#o.write(take)
    if (this.#halted) return
    segment.batches.splice(0, take.length)
    this.#inMemory -= results
    if (segment.batches.length === 0) this.#segments.shift()
  }

  async #replayFile(segment: Extract<Segment, { kind: 'file' }>): Promise<void> {
    if (!segment.sealed) {
      segment.sealed = true
      await segment.file.seal()
    }
    const next = await segment.file.readNext(this.#o.batchSize)
    if (next === undefined) {
      if (segment.file.corrupt > 0) this.#o.logger.error({ path: segment.file.path, lines: segment.file.corrupt }, 'postgres: spill file had unreadable lines; they were skipped')
      await segment.file.remove()
      this.#segments.shift()
      return
    }
    if (next.batches.length > 0) await this.#o.write(next.batches)
    if (this.#halted) return
    segment.file.consume(next.end, next.results)
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      const self = this
      function done(): void {
        clearTimeout(timer)
        self.#wake = undefined
        resolve()
      }
      this.#wake = done
    })
  }
}
