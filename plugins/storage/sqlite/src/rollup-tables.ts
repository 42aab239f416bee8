import type { Database } from 'better-sqlite3'
import { addToRollup, decodeHistogram, emptyRollup, encodeHistogram, mergeRollup, TIER_MS } from '@vedette/sdk'
import type { CheckStatus, RollupBucket, RollupTier } from '@vedette/sdk'
import { STATUS_NAMES } from './result-codec.js'
import { bothTablesSql } from './page-sql.js'
import type { Stmt } from './statements.js'

/** A rollup row after (ref, bucket): counts, latency min / max / sum in ms, histogram JSON. */
type RollupRow = [bucket: number, up: number, down: number, degraded: number, unknown: number, min: number | null, max: number | null, sum: number, histogram: string]
type Range = [ref: number, from: number, to: number]

interface TierStatements {
  select: Stmt<Range, RollupRow>
  deleteRange: Stmt<Range>
  deleteBefore: Stmt<[ref: number, cut: number]>
  insert: Stmt<[number, ...RollupRow]>
}

/**
 * Reads and writes of `rollups_minute`, `rollups_hour`, `rollups_day` and the
 * raw rows they are built from (merged and staged), one monitor (ref) at a
 * time: every statement seeks a (ref, time) key, so a pass costs what it
 * touches, not a scan of the whole table.
 */
export class RollupTables {
  readonly #tiers: Record<RollupTier, TierStatements>
  readonly #raw: Stmt<[...Range, ...Range], [startedAt: number, status: number, latencyUs: number]>
  readonly #rawDelete: Stmt<[ref: number, cut: number]>

  constructor(db: Database) {
    const tier = (name: RollupTier): TierStatements => {
      const table = `rollups_${name}`
      const columns = 'bucket, up, down, degraded, unknown, latency_min, latency_max, latency_sum, histogram'
      return {
        select: db.prepare<Range, RollupRow>(`SELECT ${columns} FROM ${table} WHERE ref = ? AND bucket >= ? AND bucket < ?`).raw(true),
        deleteRange: db.prepare<Range>(`DELETE FROM ${table} WHERE ref = ? AND bucket >= ? AND bucket < ?`),
        deleteBefore: db.prepare<[number, number]>(`DELETE FROM ${table} WHERE ref = ? AND bucket < ?`),
        insert: db.prepare<[number, ...RollupRow]>(`INSERT INTO ${table} (ref, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      }
    }
    this.#tiers = { minute: tier('minute'), hour: tier('hour'), day: tier('day') }
    // Staged rows too: a pass merges them first, but late results staged during the pass and uptime reads need them.
    this.#raw = db.prepare<[...Range, ...Range], [number, number, number]>(bothTablesSql(['k.started_at', 's.status', 's.latency_us'])).raw(true)
    this.#rawDelete = db.prepare<[number, number]>('DELETE FROM results WHERE ref = ? AND started_at < ?')
  }

  /** Rebuilds the minute buckets of `ref` in [from, to) from raw results; returns the rows written. Run inside a transaction. */
  rebuildMinutes(ref: number, from: number, to: number): number {
    const buckets = new Map<number, RollupBucket>()
    const size = TIER_MS.minute
    for (const [startedAt, status, latencyUs] of this.#raw.iterate(ref, from, to, ref, from, to)) {
      const start = Math.floor(startedAt / size) * size
      let b = buckets.get(start)
      if (b === undefined) buckets.set(start, (b = emptyRollup()))
      addToRollup(b, STATUS_NAMES[status] as CheckStatus, latencyUs / 1000)
    }
    return this.#replace('minute', ref, from, to, buckets)
  }

  /** Rebuilds the `tier` buckets of `ref` in [from, to) by merging the finer tier's; returns the rows written. Run inside a transaction. */
  rebuildFrom(finer: RollupTier, tier: RollupTier, ref: number, from: number, to: number): number {
    const buckets = new Map<number, RollupBucket>()
    const size = TIER_MS[tier]
    for (const row of this.#tiers[finer].select.iterate(ref, from, to)) {
      const start = Math.floor(row[0] / size) * size
      let b = buckets.get(start)
      if (b === undefined) buckets.set(start, (b = emptyRollup()))
      mergeRollup(b, fromRow(row))
    }
    return this.#replace(tier, ref, from, to, buckets)
  }

  /** Merges the `tier` buckets of `ref` that start in [from, to) into `into`. */
  mergeInto(into: RollupBucket, tier: RollupTier, ref: number, from: number, to: number): void {
    for (const row of this.#tiers[tier].select.iterate(ref, from, to)) mergeRollup(into, fromRow(row))
  }

  /** Adds the raw results of `ref` started in [from, to) to `into`. */
  addRaw(into: RollupBucket, ref: number, from: number, to: number): void {
    for (const [, status, latencyUs] of this.#raw.iterate(ref, from, to, ref, from, to)) addToRollup(into, STATUS_NAMES[status] as CheckStatus, latencyUs / 1000)
  }

  /** Deletes what `ref` keeps before the cuts; returns the rows deleted per tier. */
  deleteBefore(ref: number, cut: Record<'raw' | RollupTier, number>): Record<'raw' | RollupTier, number> {
    return {
      raw: this.#rawDelete.run(ref, cut.raw).changes,
      minute: this.#tiers.minute.deleteBefore.run(ref, cut.minute).changes,
      hour: this.#tiers.hour.deleteBefore.run(ref, cut.hour).changes,
      day: this.#tiers.day.deleteBefore.run(ref, cut.day).changes
    }
  }

  #replace(tier: RollupTier, ref: number, from: number, to: number, buckets: Map<number, RollupBucket>): number {
    const sql = this.#tiers[tier]
    sql.deleteRange.run(ref, from, to)
    for (const [start, b] of buckets) sql.insert.run(ref, ...toRow(start, b))
    return buckets.size
  }
}

function toRow(start: number, b: RollupBucket): RollupRow {
  const judged = b.counts.up + b.counts.down + b.counts.degraded > 0
  return [
    start,
    b.counts.up,
    b.counts.down,
    b.counts.degraded,
    b.counts.unknown,
    judged ? b.latencyMin : null,
    judged ? b.latencyMax : null,
    b.latencySum,
    JSON.stringify(encodeHistogram(b.histogram))
  ]
}

function fromRow([, up, down, degraded, unknown, min, max, sum, histogram]: RollupRow): RollupBucket {
  return {
    counts: { up, down, degraded, unknown },
    latencyMin: min ?? Number.POSITIVE_INFINITY,
    latencyMax: max ?? Number.NEGATIVE_INFINITY,
    latencySum: sum,
    histogram: decodeHistogram(histogram)
  }
}
