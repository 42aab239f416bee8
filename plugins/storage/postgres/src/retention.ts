import type pg from 'pg'
import {
  decodeHistogram,
  emptyRetentionReport,
  emptyRollup,
  mergeRollup,
  planMaintenance,
  rollupCoverage,
  rollupSummary,
  ROLLUP_TIERS,
  uptimePlan,
  type RetentionMarks,
  type RollupBucket
} from '@vedette/sdk'
import type { CheckStatus, EncodedHistogram, Logger, RetentionPolicy, RetentionReport, RollupTier, UptimeSummary } from '@vedette/sdk'
import type { Partitions } from './partitions.js'
import { inTransaction, longQuery, redactError } from './pool.js'
import { STATUS_NAMES, UNKNOWN_CODE } from './result-codec.js'
import type { ResultQueries } from './result-queries.js'
import { minutesFromRawSql, rawBinsSql, rollupRowsSql, tierFromFinerSql } from './rollup-sql.js'
import { LOCK_CLASS, lockObject, type SchemaNames } from './schema-names.js'

export interface RetentionOptions {
  retention: RetentionPolicy
  partitionsAhead: number
  url: string
  logger: Logger
}

type MarksRow = { maintained_at: number | null; rolled_to: number | null; raw_from: number | null; dirty_from: number | null }
type RollupRow = [up: number, down: number, degraded: number, unknown: number, min: number | null, max: number | null, sum: number, histogram: EncodedHistogram]

const DAY = 86_400_000

/**
 * Tiered retention on PostgreSQL, planned by the storage kit of @vedette/sdk
 * (planMaintenance, uptimePlan) and carried out in SQL.
 *
 * A pass: (1) under the rollup fence, move `rolling_to` to the last closed
 * minute, so results written from then on into rolled-up minutes mark
 * `dirty_from`, and results already being written finish first; (2) in one
 * transaction, rebuild minutes from raw, hours from minutes, days from hours,
 * count the raw results that leave the retention, delete rollups past theirs
 * and move the marks; (3) drop the raw partitions wholly past the raw cut.
 * Raw results between the cut and the end of their partition stay on disk,
 * hidden from reads, until the partition is dropped by a later pass.
 */
export class Retention {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames
  readonly #partitions: Partitions
  readonly #o: RetentionOptions
  readonly #passLock: [number, number]
  readonly #fence: [number, number]
  #running: Promise<RetentionReport> | undefined

  constructor(pool: pg.Pool, names: SchemaNames, schema: string, partitions: Partitions, options: RetentionOptions) {
    this.#pool = pool
    this.#n = names
    this.#partitions = partitions
    this.#o = options
    this.#passLock = [LOCK_CLASS.maintain, lockObject(schema)]
    this.#fence = [LOCK_CLASS.rollupFence, lockObject(schema)]
  }

  /** Rollup tables, for deleteMonitor. */
  get tables(): string[] {
    return ROLLUP_TIERS.map((tier) => this.#n.rollups[tier])
  }

  /** The fence a result write takes (shared) for the length of its transaction. */
  get fence(): readonly [number, number] {
    return this.#fence
  }

  /** The pass in progress, if any (stop() waits for it). */
  get running(): Promise<RetentionReport> | undefined {
    return this.#running
  }

  maintain(now: number): Promise<RetentionReport> {
    const pass = this.#maintain(now).finally(() => {
      if (this.#running === pass) this.#running = undefined
    })
    this.#running = pass
    return pass
  }

  async #maintain(now: number): Promise<RetentionReport> {
    const started = performance.now()
    const report = emptyRetentionReport()
    // The whole pass runs on one connection holding a session lock: passes
    // from several nodes (or overlapping calls here) run one after the other,
    // each idempotent, and a pool of one connection cannot deadlock on itself.
    const client = await this.#pool.connect()
    let broken = false
    let rawFrom: number
    try {
      await client.query(longQuery('SELECT pg_advisory_lock($1, $2)', this.#passLock))
      const { marks, plan } = await this.#advance(client, now)
      rawFrom = plan.next.rawFrom ?? plan.cut.raw
      const n = this.#n
      await inTransaction(client, async () => {
        if (plan.rollup !== undefined) {
          const { minute, hour, day } = plan.rollup
          report.rolledUp.minute = await this.#rebuild(client, 'minute', minute.from, minute.to, minutesFromRawSql(n))
          report.rolledUp.hour = await this.#rebuild(client, 'hour', hour.from, hour.to, tierFromFinerSql(n, 'hour'))
          report.rolledUp.day = await this.#rebuild(client, 'day', day.from, day.to, tierFromFinerSql(n, 'day'))
        }
        // Raw results leaving the retention, counted from their (complete)
        // minute rollups rather than by scanning the partitions.
        const before = marks.rawFrom ?? Number.MIN_SAFE_INTEGER
        if (plan.cut.raw > before) {
          const { rows } = await client.query<{ n: number }>(
            longQuery(`SELECT coalesce(sum(up + down + degraded + unknown), 0)::bigint AS n FROM ${n.rollups.minute} WHERE bucket >= $1 AND bucket < $2`, [
              before,
              plan.cut.raw
            ])
          )
          report.deleted.raw = rows[0]?.n ?? 0
        }
        for (const tier of ROLLUP_TIERS) {
          const deleted = await client.query(longQuery(`DELETE FROM ${n.rollups[tier]} WHERE bucket < $1`, [plan.cut[tier]]))
          report.deleted[tier] = deleted.rowCount ?? 0
        }
        // dirty_from is cleared only if no late write lowered it during the pass.
        await client.query(
          `UPDATE ${n.marks} SET maintained_at = $1, rolled_to = $2, rolling_to = greatest(rolling_to, $2), raw_from = $3,
             dirty_from = CASE WHEN dirty_from IS NOT DISTINCT FROM $4::bigint THEN NULL ELSE dirty_from END`,
          [plan.next.maintainedAt, plan.next.rolledTo, plan.next.rawFrom, marks.dirtyFrom ?? null]
        )
      })
      await client.query('SELECT pg_advisory_unlock($1, $2)', this.#passLock)
    } catch (err) {
      // The connection is dropped with its session lock (the server releases it).
      broken = true
      throw err
    } finally {
      client.release(broken)
    }
    await this.#cleanUp(rawFrom)
    report.durationMs = performance.now() - started
    return report
  }

  /** Step 1: read the marks, plan, and publish `rolling_to` once every write in flight has committed. */
  async #advance(client: pg.PoolClient, now: number): Promise<{ marks: RetentionMarks; plan: ReturnType<typeof planMaintenance> }> {
    // The first pass looks for the oldest result before taking the fence:
    // that can scan a partition, and writes wait while the fence is held.
    const before = await readMarks(client, this.#n)
    const earliest = before.rolledTo === undefined ? await this.#earliestRaw(client) : undefined
    return inTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', this.#fence)
      const marks = await readMarks(client, this.#n, ' FOR UPDATE')
      const plan = planMaintenance(this.#o.retention, marks, now, earliest)
      await client.query(`UPDATE ${this.#n.marks} SET rolling_to = greatest(coalesce(rolling_to, $1), $1)`, [plan.next.rolledTo])
      return { marks, plan }
    })
  }

  /** Replaces the rollups of `tier` with bucket starts in `[from, to)`; returns the rows written. */
  async #rebuild(client: pg.PoolClient, tier: RollupTier, from: number, to: number, insertSql: string): Promise<number> {
    if (from >= to) return 0
    await client.query(longQuery(`DELETE FROM ${this.#n.rollups[tier]} WHERE bucket >= $1 AND bucket < $2`, [from, to]))
    return (await client.query(longQuery(insertSql, [from, to]))).rowCount ?? 0
  }

  /** The oldest raw start time, partition by partition from the oldest (first pass only). */
  async #earliestRaw(client: pg.PoolClient): Promise<number | undefined> {
    for (const p of this.#partitions.ranges) {
      const { rows } = await client.query<{ at: number | null }>(longQuery(`SELECT min(at) AS at FROM ${this.#n.partition(p.name)}`))
      if (rows[0]?.at != null) return rows[0].at
    }
    return undefined
  }

  /** Step 3, outside the pass's transaction: failures here are logged and retried by the next pass. */
  async #cleanUp(rawFrom: number): Promise<void> {
    const { logger, url } = this.#o
    try {
      const { dropped } = await this.#partitions.dropBefore(rawFrom)
      if (dropped.length > 0) logger.info({ dropped }, 'postgres: dropped result partitions past the raw retention')
      await this.#partitions.ensureAhead(Date.now(), this.#o.partitionsAhead)
      // Batch ids only matter while a batch may still be replayed; a spill file
      // older than the raw retention replays into partitions about to be dropped.
      await this.#pool.query(`DELETE FROM ${this.#n.batches} WHERE written_at < $1`, [Date.now() - Math.max(this.#o.retention.rawMs, DAY)])
    } catch (err) {
      logger.warn({ err: redactError(err, url) }, 'postgres: partition upkeep failed; the next maintenance pass retries it')
    }
  }

  /** `uptime` from the finest tier that holds `from`, as uptimePlan lays it out. */
  async uptime(results: ResultQueries, tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    const marks = await this.marks()
    const plan = uptimePlan(this.#o.retention, rollupCoverage(marks), from, to)
    // Open-ended windows (±Infinity) cannot be bigint parameters; no bucket lies beyond these.
    for (const seg of plan.segments) {
      seg.from = Math.max(seg.from, Number.MIN_SAFE_INTEGER)
      seg.to = Math.min(seg.to, Number.MAX_SAFE_INTEGER)
    }
    if (plan.tier === 'raw') {
      const raw = await results.uptime(tenantId, monitorId, from, to)
      const checks = raw.counts.up + raw.counts.down + raw.counts.degraded + raw.counts.unknown
      const judged = checks - raw.counts.unknown
      const ratio = judged === 0 ? null : (raw.counts.up + raw.counts.degraded) / judged
      return { from, to, checks, counts: raw.counts, ratio, latency: raw.latency, tier: 'raw' }
    }
    const merged = emptyRollup()
    for (const seg of plan.segments) {
      if (seg.tier === 'raw') mergeRollup(merged, await this.#rawBucket(tenantId, monitorId, seg.from, seg.to))
      else {
        const { rows } = await this.#pool.query<RollupRow>({
          text: rollupRowsSql(this.#n, seg.tier),
          values: [tenantId, monitorId, seg.from, seg.to],
          rowMode: 'array'
        })
        for (const row of rows) mergeRollup(merged, toBucket(row))
      }
    }
    return rollupSummary(plan.from, plan.to, plan.tier, merged)
  }

  /** The marks as the last committed pass left them. */
  marks(): Promise<RetentionMarks> {
    return readMarks(this.#pool, this.#n)
  }

  async #rawBucket(tenantId: string, monitorId: string, from: number, to: number): Promise<RollupBucket> {
    const { rows } = await this.#pool.query<[number, number, number, number, number, number]>({
      text: rawBinsSql(this.#n),
      values: [tenantId, monitorId, from, to],
      rowMode: 'array'
    })
    const b = emptyRollup()
    for (const [status, bin, count, min, max, sum] of rows) {
      b.counts[STATUS_NAMES[status] as CheckStatus] += count
      if (status === UNKNOWN_CODE) continue
      b.latencyMin = Math.min(b.latencyMin, min)
      b.latencyMax = Math.max(b.latencyMax, max)
      b.latencySum += sum
      b.histogram.set(bin, (b.histogram.get(bin) ?? 0) + count)
    }
    return b
  }
}

async function readMarks(client: pg.Pool | pg.PoolClient, n: SchemaNames, lock = ''): Promise<RetentionMarks> {
  const { rows } = await client.query<MarksRow>(`SELECT maintained_at, rolled_to, raw_from, dirty_from FROM ${n.marks}${lock}`)
  const row = rows[0]
  const marks: RetentionMarks = {}
  if (row?.maintained_at != null) marks.maintainedAt = row.maintained_at
  if (row?.rolled_to != null) marks.rolledTo = row.rolled_to
  if (row?.raw_from != null) marks.rawFrom = row.raw_from
  if (row?.dirty_from != null) marks.dirtyFrom = row.dirty_from
  return marks
}

function toBucket([up, down, degraded, unknown, min, max, sum, histogram]: RollupRow): RollupBucket {
  return {
    counts: { up, down, degraded, unknown },
    latencyMin: min ?? Number.POSITIVE_INFINITY,
    latencyMax: max ?? Number.NEGATIVE_INFINITY,
    latencySum: sum,
    histogram: decodeHistogram(histogram)
  }
}
