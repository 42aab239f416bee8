import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Database } from 'better-sqlite3'
import type { Logger } from '@vedette/sdk'
import { STAGED } from './page-sql.js'
import type { Stmt } from './statements.js'

/** When a merge runs and how much it moves per transaction; see ResultStaging. */
export interface StagingOptions {
  /** A merge starts once this many rows are staged. */
  mergeAtRows: number
  /** About this many rows move per merge transaction (whole monitors: one with more moves alone). */
  chunkRows: number
  /** While rows are staged, a merge also starts this often (ms), so a quiet store does not keep them staged. */
  intervalMs: number
}

/**
 * 250,000 rows is ~5 s of ingest at the issue #6 rate (50,000/s): each
 * monitor's tail page is then rewritten once per ~25 results instead of once
 * per result. 25,000 rows per chunk keeps a merge transaction to tens of
 * milliseconds.
 */
export const STAGING_DEFAULTS: Readonly<StagingOptions> = { mergeAtRows: 250_000, chunkRows: 25_000, intervalMs: 15_000 }

/** Past every ref: the upper bound of the last chunk. */
const ALL_REFS = Number.MAX_SAFE_INTEGER

interface Merge {
  /** The merge moves rows with ids up to this (those staged when it began); later ones wait for the next. */
  upTo: number
  /** The first ref of the next chunk. */
  fromRef: number
}

/**
 * New results are appended to `results_staged` (a rowid table: one INSERT
 * writes the last page only) and moved into the clustered `results` table by
 * a merge, sorted by (ref, started_at, seq), a range of monitors per
 * transaction. Inserting a 1,000-result batch for 1,000 monitors into
 * `results` directly rewrites ~1,000 b-tree pages; a merge rewrites each
 * monitor's tail page once for all the rows staged since the last merge.
 *
 * Reads see staged rows through `temp.staged_keys`, this connection's index
 * of the staged rows not merged yet, (ref, started_at, seq) → id. It lives in
 * memory (TEMP, temp_store = MEMORY), so keeping it costs the file nothing; a
 * TEMP trigger fills it as rows are staged, and it joins the write's
 * transaction, so a rollback takes both back. At start it is rebuilt from
 * `results_staged`.
 *
 * Each chunk of a merge is one transaction: insert the chunk's rows into
 * `results`, delete them from `results_staged`, drop them from the index. A
 * row is in exactly one of the two tables at every commit, so a crash at any
 * point leaves nothing to repair. (Deleting by id range once per merge instead
 * was as fast with 10,000 monitors, faster with 10, but left rows in both
 * tables until then, which a restart had to sort out, and a larger file.)
 *
 * This connection is assumed to be the only one writing results, as the rest
 * of the store assumes; another may open the file meanwhile (the `vedette
 * keys` CLI does), index the same staged rows and merge them at its stop. This
 * connection's merge then finds them gone from `results_staged` (the join
 * skips them), and the ids it hands out are above every id the other saw.
 *
 * Merges run: one chunk after each write once `mergeAtRows` are staged, so
 * writers pay for merging as they go and staging stays bounded; on a timer,
 * yielding between chunks; before a maintenance pass; and to the end at stop.
 */
export class ResultStaging {
  readonly #o: StagingOptions
  readonly #logger: Logger
  /** The ref of the index entry `offset` entries on from the first one at or after `fromRef`. */
  readonly #refAt: Stmt<[fromRef: number, offset: number], number>
  readonly #forget: Stmt<[fromRef: number, toRef: number, upTo: number]>
  readonly #count: Stmt<[], number>
  readonly #moveChunk: (fromRef: number, toRef: number, upTo: number) => number
  /** Rows in the index: staged and not merged. */
  #staged = 0
  #nextId: number
  #merge: Merge | undefined
  /** The `upTo` of the last merge that finished. */
  #mergedTo = 0
  #failedAt = Number.NEGATIVE_INFINITY
  #timerMerging = false
  #closed = false
  readonly #timer: NodeJS.Timeout

  constructor(db: Database, options: StagingOptions, logger: Logger) {
    this.#o = options
    this.#logger = logger
    db.exec(`
      CREATE TEMP TABLE staged_keys (
        ref INTEGER NOT NULL, started_at INTEGER NOT NULL, seq INTEGER NOT NULL, id INTEGER NOT NULL,
        PRIMARY KEY (ref, started_at, seq)
      ) WITHOUT ROWID;
      -- A trigger instead of a second INSERT from JavaScript: one statement per staged row.
      CREATE TEMP TRIGGER staged_keys_add AFTER INSERT ON main.results_staged BEGIN
        INSERT INTO staged_keys (ref, started_at, seq, id) VALUES (new.ref, new.started_at, new.seq, new.id);
      END;
    `)
    this.#nextId = ((db.prepare<[], number | null>('SELECT max(id) FROM results_staged').pluck(true).get() as number | null) ?? 0) + 1
    this.#staged = db.prepare(`INSERT INTO ${STAGED} (ref, started_at, seq, id) SELECT ref, started_at, seq, id FROM results_staged`).run().changes
    this.#refAt = db.prepare<[number, number], number>(`SELECT ref FROM ${STAGED} WHERE ref >= ? ORDER BY ref LIMIT 1 OFFSET ?`).pluck(true)
    // The index's primary-key order is the order rows go into results: no sort.
    // Keys are unique across both tables (see writeResultBatch), so a conflict
    // can only be this very row; skipping it keeps a merge from failing forever.
    const move = db.prepare<[number, number, number]>(
      `INSERT INTO results (ref, started_at, seq, status, latency_us, shape, vals)
       SELECT k.ref, k.started_at, k.seq, s.status, s.latency_us, s.shape, s.vals FROM ${STAGED} AS k CROSS JOIN results_staged AS s ON s.id = k.id
       WHERE k.ref >= ? AND k.ref < ? AND k.id <= ? ORDER BY k.ref, k.started_at, k.seq
       ON CONFLICT DO NOTHING`
    )
    const unstage = db.prepare<[number, number, number]>(`DELETE FROM results_staged WHERE id IN (SELECT id FROM ${STAGED} WHERE ref >= ? AND ref < ? AND id <= ?)`)
    this.#forget = db.prepare<[number, number, number]>(`DELETE FROM ${STAGED} WHERE ref >= ? AND ref < ? AND id <= ?`)
    this.#moveChunk = db.transaction((fromRef: number, toRef: number, upTo: number) => {
      move.run(fromRef, toRef, upTo)
      unstage.run(fromRef, toRef, upTo)
      return this.#forget.run(fromRef, toRef, upTo).changes
    })
    this.#count = db.prepare<[], number>(`SELECT count(*) FROM ${STAGED}`).pluck(true)
    this.#timer = setInterval(() => this.#onTimer(), options.intervalMs).unref()
  }

  /** Staged rows not merged yet. */
  get staged(): number {
    return this.#staged
  }

  /** The id of the next staged row (ids only grow while the store is open: a merge relies on it). */
  nextId(): number {
    return this.#nextId++
  }

  /** After a write of `rows` staged rows committed: one merge step when a merge is due. */
  written(rows: number): void {
    this.#staged += rows
    if (this.#merge === undefined && this.#staged < this.#o.mergeAtRows) return
    // After a failed step, writes leave merging alone for one timer interval.
    if (performance.now() - this.#failedAt < this.#o.intervalMs) return
    try {
      this.#step()
    } catch (err) {
      // The batch is committed; failing the write would make the engine write it twice.
      this.#failed(err)
    }
  }

  /** Re-reads the count after rows left the index other than by a merge (a deleted monitor, a rollback). */
  recount(): void {
    this.#staged = this.#count.get() as number
  }

  /**
   * Merges every row staged before the call, yielding to the event loop
   * between steps; `assertOpen` throws once the store is stopping.
   */
  async mergeAll(assertOpen: () => void): Promise<void> {
    const target = this.#nextId - 1
    while (!this.#closed && (this.#merge !== undefined || (this.#staged > 0 && this.#mergedTo < target))) {
      this.#step()
      await yieldToLoop()
      assertOpen()
    }
  }

  /** Stops the timer and merges what is left, without yielding: stop() closes the file next. */
  close(): void {
    clearInterval(this.#timer)
    this.#closed = true
    while (this.#merge !== undefined || this.#staged > 0) this.#step()
  }

  /** Moves one chunk of monitors' staged rows (beginning a merge if none is under way). */
  #step(): void {
    if (this.#merge === undefined) this.#merge = { upTo: this.#nextId - 1, fromRef: 0 }
    const merge = this.#merge
    // From the first staged ref to the one chunkRows entries on; a monitor with more rows is a chunk of its own.
    const first = this.#refAt.get(merge.fromRef, 0) ?? ALL_REFS
    const bound = this.#refAt.get(first, this.#o.chunkRows)
    const toRef = bound === undefined ? ALL_REFS : Math.max(bound, first + 1)
    this.#staged -= this.#moveChunk(first, toRef, merge.upTo)
    merge.fromRef = toRef
    if (bound !== undefined) return
    this.#merge = undefined
    this.#mergedTo = merge.upTo
    this.recount()
  }

  #onTimer(): void {
    if (this.#timerMerging || (this.#merge === undefined && this.#staged === 0)) return
    this.#timerMerging = true
    this.mergeAll(() => {})
      .catch((err: unknown) => this.#failed(err))
      .finally(() => {
        this.#timerMerging = false
      })
  }

  #failed(err: unknown): void {
    this.#failedAt = performance.now()
    this.#logger.error({ err, staged: this.#staged }, 'sqlite storage: merging staged results failed; they stay staged and readable, and the merge is retried')
  }
}
