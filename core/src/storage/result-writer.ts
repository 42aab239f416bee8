import type { CheckResult, Logger, Storage } from '@vedette/sdk'

export interface ResultWriterOptions {
  storage: Pick<Storage, 'writeResults'>
  /** Flush at least this often. */
  flushIntervalMs: number
  /** Flush as soon as this many results wait. */
  maxBatch?: number
  /**
   * Batches written at once (default 2). A network store (PostgreSQL) spends
   * most of a batch waiting for round trips and the commit; a second batch on
   * another connection meanwhile nearly doubles ingestion. Each batch stays
   * atomic, and the latest-result upserts keep the newest run whatever the
   * commit order.
   */
  concurrency?: number
  logger: Logger
  /** After each batch is durable (feeds onPersist and the storage metrics). */
  onWritten?: (batch: readonly CheckResult[], ms: number) => void
}

/**
 * Buffers results and writes them in batches: one transaction per few hundred
 * results costs about what one per result would cost alone. A failed batch
 * stays at the head of the buffer and is retried on the next flush, so a
 * result that was accepted is never dropped; `close` drains everything.
 */
export class ResultWriter {
  readonly #opts: Required<Omit<ResultWriterOptions, 'onWritten'>> & Pick<ResultWriterOptions, 'onWritten'>
  #buffer: CheckResult[] = []
  #timer: NodeJS.Timeout | undefined
  #flushing: Promise<void> | undefined
  #written = 0
  #closed = false

  constructor(options: ResultWriterOptions) {
    this.#opts = { maxBatch: 1000, concurrency: 2, ...options }
  }

  /** Results accepted but not yet durable. */
  get pending(): number {
    return this.#buffer.length
  }

  /** Results made durable since start. */
  get written(): number {
    return this.#written
  }

  push(result: CheckResult): void {
    this.#buffer.push(result)
    if (this.#buffer.length >= this.#opts.maxBatch) void this.flush()
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined
        void this.flush()
      }, this.#opts.flushIntervalMs)
    }
  }

  /** Writes everything buffered so far; concurrent calls share one pass. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined
    })
    return this.#flushing
  }

  async #drain(): Promise<void> {
    const max = this.#opts.maxBatch
    while (this.#buffer.length > 0) {
      const count = Math.min(this.#opts.concurrency, Math.ceil(this.#buffer.length / max))
      const batches = Array.from({ length: count }, (_, i) => this.#buffer.slice(i * max, (i + 1) * max))
      const taken = batches.reduce((n, b) => n + b.length, 0)
      const t0 = performance.now()
      const outcomes = await Promise.allSettled(batches.map((b) => this.#opts.storage.writeResults(b)))
      // Batches that failed go back to the head, in order; the ones that succeeded are done.
      const retry: CheckResult[] = []
      outcomes.forEach((outcome, i) => {
        const batch = batches[i] as CheckResult[]
        if (outcome.status === 'rejected') {
          this.#opts.logger.error({ err: outcome.reason, batch: batch.length }, 'writing check results failed; they stay buffered and are retried')
          retry.push(...batch)
          return
        }
        this.#written += batch.length
        this.#opts.onWritten?.(batch, performance.now() - t0)
      })
      this.#buffer = [...retry, ...this.#buffer.slice(taken)]
      if (retry.length > 0) {
        this.#schedule()
        return
      }
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.flush()
    }, this.#opts.flushIntervalMs)
  }

  /** Drains the buffer; rejects if storage still refuses after the last attempt. */
  async close(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#closed = true
    await this.flush()
    if (this.#buffer.length > 0) throw new Error(`${this.#buffer.length} check results could not be written`)
  }
}
