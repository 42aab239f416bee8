import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Database } from 'better-sqlite3'
import {
  emptyRetentionReport,
  emptyRollup,
  planMaintenance,
  rollupCoverage,
  rollupSummary,
  uptimePlan,
  uptimeSummary,
  type RetentionMarks
} from '@vedette/sdk'
import type { CheckStatus, RetentionPolicy, RetentionReport, UptimeSummary } from '@vedette/sdk'
import { STATUS_NAMES } from './result-codec.js'
import { RollupTables } from './rollup-tables.js'
import { bothTablesSql, STAGED } from './page-sql.js'
import type { Stmt } from './statements.js'

/** ref, from, to, once per table (see bothTablesSql). */
type Range2 = [ref: number, from: number, to: number, ref: number, from: number, to: number]
type MarksRow = [maintainedAt: number | null, rolledTo: number | null, rawFrom: number | null, dirtyFrom: number | null]

/** Monitors per transaction during a pass: small enough that writes waiting behind a chunk wait milliseconds. */
const REFS_PER_CHUNK = 200

/**
 * Tiered retention on SQLite: the planning is the storage kit's (shared with
 * every store), this class applies it. A pass rebuilds rollups monitor by
 * monitor, a chunk of monitors per transaction, yielding to the event loop in
 * between so writes and reads go on; then it saves the marks (from then on
 * uptime answers old windows from rollups) and deletes what is past the
 * policy, chunk by chunk again. Passes never overlap.
 *
 * Late results: the write path calls `noteBatch` inside its transaction; a
 * result below the rolled-up mark lowers `dirty_from`, and the next pass starts
 * there. During a pass the mark is the pass's own end, and late writes seen
 * during it are carried over to the next pass.
 */
export class SqliteRetention {
  readonly policy: RetentionPolicy
  readonly #tables: RollupTables
  readonly #loadMarks: Stmt<[], MarksRow>
  readonly #saveMarks: Stmt<MarksRow>
  readonly #saveDirty: Stmt<[number]>
  readonly #refs: Stmt<[], number>
  readonly #earliest: Stmt<[], number | null>
  readonly #byStatus: Stmt<Range2, [status: number, count: number, latenciesUs: string]>
  readonly #db: Database
  #marks: RetentionMarks
  /** While a pass runs: its end (results below it are late) and the earliest late result seen since it began. */
  #pass: { to: number; dirty: number | undefined } | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(db: Database, policy: RetentionPolicy) {
    this.#db = db
    this.policy = policy
    this.#tables = new RollupTables(db)
    this.#loadMarks = db.prepare<[], MarksRow>('SELECT maintained_at, rolled_to, raw_from, dirty_from FROM retention_state WHERE id = 1').raw(true)
    this.#saveMarks = db.prepare<MarksRow>('UPDATE retention_state SET maintained_at = ?, rolled_to = ?, raw_from = ?, dirty_from = ? WHERE id = 1')
    this.#saveDirty = db.prepare<[number]>('UPDATE retention_state SET dirty_from = ? WHERE id = 1')
    this.#refs = db.prepare<[], number>('SELECT ref FROM monitor_refs ORDER BY ref').pluck(true)
    // The oldest result, one primary-key seek per monitor instead of a scan (only the first pass asks),
    // and the oldest staged one (the pass merged them first; this covers rows staged since).
    this.#earliest = db
      .prepare<[], number | null>(
        `SELECT min(t) FROM (SELECT (SELECT started_at FROM results WHERE ref = r.ref ORDER BY started_at LIMIT 1) AS t FROM monitor_refs r
         UNION ALL SELECT min(started_at) FROM ${STAGED})`
      )
      .pluck(true)
    // Per status: how many runs, and their latencies as one JSON array (one row per status, not per run).
    this.#byStatus = db
      .prepare<Range2, [number, number, string]>(
        `SELECT status, count(*), json_group_array(latency_us) FROM (${bothTablesSql(['s.status', 's.latency_us'])}) GROUP BY status`
      )
      .raw(true)
    const [maintainedAt, rolledTo, rawFrom, dirtyFrom] = this.#loadMarks.get() ?? [null, null, null, null]
    this.#marks = {}
    if (maintainedAt !== null) this.#marks.maintainedAt = maintainedAt
    if (rolledTo !== null) this.#marks.rolledTo = rolledTo
    if (rawFrom !== null) this.#marks.rawFrom = rawFrom
    if (dirtyFrom !== null) this.#marks.dirtyFrom = dirtyFrom
  }

  /** Called inside the write transaction of a batch with its earliest start time. */
  noteBatch(earliestStartedAt: number): void {
    const mark = this.#pass?.to ?? this.#marks.rolledTo
    if (mark === undefined || earliestStartedAt >= mark) return
    if (this.#pass !== undefined) this.#pass.dirty = Math.min(this.#pass.dirty ?? earliestStartedAt, earliestStartedAt)
    const dirty = this.#marks.dirtyFrom
    if (dirty !== undefined && dirty <= earliestStartedAt) return
    this.#saveDirty.run(earliestStartedAt)
    this.#marks.dirtyFrom = earliestStartedAt
  }

  /**
   * One pass; a pass asked for while another runs starts when that one ends.
   * `assertOpen` throws once the store is stopped (checked before each chunk).
   * `first` runs at the start of the pass (the store merges staged results).
   */
  maintain(now: number, assertOpen: () => void, first: () => Promise<void>): Promise<RetentionReport> {
    const run = this.#queue.then(() => this.#maintain(now, assertOpen, first))
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** Resolves when no pass is running (stop() waits for this before closing the file). */
  idle(): Promise<unknown> {
    return this.#queue
  }

  uptime(ref: number | undefined, from: number, to: number): UptimeSummary {
    const plan = uptimePlan(this.policy, rollupCoverage(this.#marks), from, to)
    if (plan.tier === 'raw') {
      const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
      let latencies: number[] = []
      for (const [code, count, latenciesUs] of ref === undefined ? [] : this.#byStatus.all(ref, from, to, ref, from, to)) {
        const status = STATUS_NAMES[code] as CheckStatus
        counts[status] = count
        if (status !== 'unknown') latencies = latencies.concat((JSON.parse(latenciesUs) as number[]).map((us) => us / 1000))
      }
      return { ...uptimeSummary(from, to, counts, latencies), tier: 'raw' }
    }
    const merged = emptyRollup()
    for (const seg of ref === undefined ? [] : plan.segments) {
      if (seg.tier === 'raw') this.#tables.addRaw(merged, ref as number, seg.from, seg.to)
      else this.#tables.mergeInto(merged, seg.tier, ref as number, seg.from, seg.to)
    }
    return rollupSummary(plan.from, plan.to, plan.tier, merged)
  }

  async #maintain(now: number, assertOpen: () => void, first: () => Promise<void>): Promise<RetentionReport> {
    assertOpen()
    const started = performance.now()
    await first()
    assertOpen()
    const report = emptyRetentionReport()
    const earliest = this.#marks.rolledTo === undefined ? this.#earliest.get() : undefined
    const plan = planMaintenance(this.policy, this.#marks, now, earliest ?? undefined)
    const refs = this.#refs.all()
    this.#pass = { to: plan.next.rolledTo as number, dirty: undefined }
    try {
      const rollup = plan.rollup
      if (rollup !== undefined) {
        await this.#inChunks(refs, assertOpen, (ref) => {
          report.rolledUp.minute += this.#tables.rebuildMinutes(ref, rollup.minute.from, rollup.minute.to)
          report.rolledUp.hour += this.#tables.rebuildFrom('minute', 'hour', ref, rollup.hour.from, rollup.hour.to)
          report.rolledUp.day += this.#tables.rebuildFrom('hour', 'day', ref, rollup.day.from, rollup.day.to)
        })
      }
      // Rollups are complete: from here on uptime reads them for what is about to be deleted.
      const next: RetentionMarks = { ...plan.next }
      if (this.#pass.dirty !== undefined) next.dirtyFrom = this.#pass.dirty
      this.#saveMarks.run(next.maintainedAt ?? null, next.rolledTo ?? null, next.rawFrom ?? null, next.dirtyFrom ?? null)
      this.#marks = next
      this.#pass = undefined
      await this.#inChunks(refs, assertOpen, (ref) => {
        const deleted = this.#tables.deleteBefore(ref, plan.cut)
        for (const tier of ['raw', 'minute', 'hour', 'day'] as const) report.deleted[tier] += deleted[tier]
      })
    } finally {
      this.#pass = undefined
    }
    report.durationMs = performance.now() - started
    return report
  }

  async #inChunks(refs: readonly number[], assertOpen: () => void, each: (ref: number) => void): Promise<void> {
    const chunk = this.#db.transaction((part: readonly number[]) => {
      for (const ref of part) each(ref)
    })
    for (let i = 0; i < refs.length; i += REFS_PER_CHUNK) {
      if (i > 0) await yieldToLoop()
      assertOpen()
      chunk(refs.slice(i, i + REFS_PER_CHUNK))
    }
  }
}
