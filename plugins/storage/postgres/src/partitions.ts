import type pg from 'pg'
import type { PartitionInterval } from './config.js'
import { transaction } from './pool.js'
import { LOCK_CLASS, lockObject, type SchemaNames } from './schema-names.js'

/** One results partition: `[start, end)` in epoch ms. */
export interface PartitionRange {
  name: string
  start: number
  end: number
}

const DAY = 86_400_000

/** The `[start, end)` bucket of `interval` (UTC) that holds `at`. */
export function bucketOf(at: number, interval: PartitionInterval): [number, number] {
  const d = new Date(at)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  const midnight = Date.UTC(y, m, d.getUTCDate())
  switch (interval) {
    case 'day':
      return [midnight, midnight + DAY]
    case 'week': {
      // ISO weeks: Monday to Monday.
      const start = midnight - ((d.getUTCDay() + 6) % 7) * DAY
      return [start, start + 7 * DAY]
    }
    case 'month':
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)]
  }
}

/** `results_20250101`, or with the time of day when a partition starts off midnight (see `gap`). */
export function partitionName(start: number): string {
  const iso = new Date(start).toISOString() // 2025-01-01T00:00:00.000Z
  const day = iso.slice(0, 10).replaceAll('-', '')
  const time = iso.slice(11, 23).replace(/[:.]/g, '')
  return time === '000000000' ? `results_${day}` : `results_${day}_${time}`
}

// pg_get_expr renders bigint bounds as FOR VALUES FROM ('1735689600000') TO ('1735776000000').
const BOUND = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/

/**
 * The results table's partitions as this process knows them. Writes check
 * their start times against the cache and create what is missing before the
 * write transaction; partition DDL runs under an advisory lock per schema, so
 * nodes creating the same day at midnight queue instead of failing, and the
 * catalog is re-read under the lock because another node may have done it.
 */
export class Partitions {
  readonly #pool: pg.Pool
  readonly #names: SchemaNames
  readonly #lock: [number, number]
  readonly #interval: PartitionInterval
  #ranges: PartitionRange[] = []
  #last: PartitionRange | undefined

  constructor(pool: pg.Pool, names: SchemaNames, schema: string, interval: PartitionInterval) {
    this.#pool = pool
    this.#names = names
    this.#lock = [LOCK_CLASS.partitions, lockObject(schema)]
    this.#interval = interval
  }

  /** Known partitions, oldest first. */
  get ranges(): readonly PartitionRange[] {
    return this.#ranges
  }

  covers(at: number): boolean {
    // Nearly every write lands in the partition the previous one did.
    const last = this.#last
    if (last !== undefined && last.start <= at && at < last.end) return true
    const hit = this.#ranges.find((r) => r.start <= at && at < r.end)
    if (hit !== undefined) this.#last = hit
    return hit !== undefined
  }

  /** Re-reads the partitions from the catalog. */
  async load(client: pg.Pool | pg.PoolClient = this.#pool): Promise<void> {
    const { rows } = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = $1::regclass`,
      [this.#names.results]
    )
    const ranges: PartitionRange[] = []
    for (const { name, bound } of rows) {
      const m = BOUND.exec(bound)
      // A DEFAULT or MINVALUE/MAXVALUE partition added by hand is left alone.
      if (m !== null) ranges.push({ name, start: Number(m[1]), end: Number(m[2]) })
    }
    this.#ranges = ranges.sort((a, b) => a.start - b.start)
    this.#last = undefined
  }

  /** Creates the partitions that hold `times` where none does yet; returns the names created. */
  async ensure(times: Iterable<number>): Promise<string[]> {
    const missing = [...new Set(times)].filter((at) => !this.covers(at))
    if (missing.length === 0) return []
    return transaction(this.#pool, async (client) => {
      // CREATE TABLE ... PARTITION OF locks the parent; waiting behind a long
      // query must not stall every write queued behind the DDL for long.
      await client.query("SET LOCAL lock_timeout = '10s'")
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', this.#lock)
      await this.load(client)
      const created: string[] = []
      for (const at of missing) {
        if (this.covers(at)) continue
        const range = this.#gap(at)
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${this.#names.partition(range.name)} PARTITION OF ${this.#names.results} FOR VALUES FROM (${range.start}) TO (${range.end})`
        )
        this.#ranges = [...this.#ranges, range].sort((a, b) => a.start - b.start)
        created.push(range.name)
      }
      return created
    }).catch(async (err: unknown) => {
      // The transaction rolled back: forget what this pass thought it created.
      await this.load().catch(() => undefined)
      throw err
    })
  }

  /** The current partition and `ahead` more, so writes at the turn of a day find theirs ready. */
  async ensureAhead(now: number, ahead: number): Promise<string[]> {
    const times: number[] = []
    let at = now
    for (let i = 0; i <= ahead; i++) {
      times.push(at)
      at = bucketOf(at, this.#interval)[1]
    }
    return this.ensure(times)
  }

  /**
   * Drops every partition that ends at or before `cutoff`, whole: DROP TABLE
   * frees the space at once, where DELETE would leave dead rows for vacuum.
   */
  async dropBefore(cutoff: number): Promise<{ dropped: string[] }> {
    if (!this.#ranges.some((r) => r.end <= cutoff)) return { dropped: [] }
    return transaction(this.#pool, async (client) => {
      await client.query("SET LOCAL lock_timeout = '10s'")
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', this.#lock)
      await this.load(client)
      const old = this.#ranges.filter((r) => r.end <= cutoff)
      for (const r of old) await client.query(`DROP TABLE ${this.#names.partition(r.name)}`)
      this.#ranges = this.#ranges.filter((r) => r.end > cutoff)
      this.#last = undefined
      return { dropped: old.map((r) => r.name) }
    }).catch(async (err: unknown) => {
      await this.load().catch(() => undefined)
      throw err
    })
  }

  /**
   * The interval bucket of `at`, clipped to the free space between existing
   * partitions: after `partitionInterval` changes, new partitions follow the
   * new interval without overlapping the ones made under the old one.
   */
  #gap(at: number): PartitionRange {
    let [start, end] = bucketOf(at, this.#interval)
    for (const r of this.#ranges) {
      if (r.end <= at && r.end > start) start = r.end
      if (r.start > at && r.start < end) end = r.start
    }
    return { name: partitionName(start), start, end }
  }
}
