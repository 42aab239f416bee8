import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { CheckResult } from '@vedette/sdk'
import type { Partitions } from './partitions.js'
import { isConnectionError } from './pool.js'
import { copyLine, RESULT_COLUMNS, rowValues } from './result-codec.js'
import type { SchemaNames } from './schema-names.js'
import type { QueuedBatch } from './spill-file.js'

/** SQLSTATEs worth one more try: no partition for a row (another node dropped or has not made it), deadlock. */
const RETRY_CODES = new Set(['23514', '40P01'])
const MAX_TRIES = 3
/** Lines per chunk handed to the COPY stream: big enough to amortise a write call, small enough not to double memory. */
const LINES_PER_CHUNK = 2_000

/**
 * Writes queued batches in one transaction: records their ids (skipping any
 * already written by an earlier try), streams the rows with COPY and upserts
 * each monitor's newest result into `latest_results`. COPY moves a few hundred
 * thousand rows a second where multi-row INSERTs manage a fraction of that.
 */
export class BatchWriter {
  readonly #pool: pg.Pool
  readonly #partitions: Partitions
  readonly #copySql: string
  readonly #markSql: string
  readonly #latestSql: string
  readonly #beginSql: string

  /** `fence`: the advisory lock key maintenance takes alone while it moves the rolled-up line (see retention.ts). */
  constructor(pool: pg.Pool, names: SchemaNames, partitions: Partitions, fence: readonly [number, number]) {
    this.#pool = pool
    this.#partitions = partitions
    this.#copySql = `COPY ${names.results} (${RESULT_COLUMNS}) FROM STDIN`
    // One round trip: BEGIN and the shared fence (held to COMMIT, so a
    // maintenance pass waits for this write before it starts rolling up).
    this.#beginSql = `BEGIN; SELECT pg_advisory_xact_lock_shared(${fence[0]}, ${fence[1]})`
    // Records the batch ids (a replayed batch already written comes back
    // empty) and, when a result lands in a minute maintenance has rolled up
    // already, lowers dirty_from so the next pass rolls it up again.
    this.#markSql = `WITH fresh AS (
        INSERT INTO ${names.batches} (id, rows, written_at)
        SELECT * FROM unnest($1::uuid[], $2::int[], $3::bigint[]) ON CONFLICT (id) DO NOTHING RETURNING id
      ), late AS (
        UPDATE ${names.marks} SET dirty_from = least(coalesce(dirty_from, $4), $4)
        WHERE rolling_to IS NOT NULL AND $4 < rolling_to AND EXISTS (SELECT 1 FROM fresh)
      )
      SELECT id FROM fresh`
    // Upsert newest-per-monitor; an older run arriving late (a replay, a slow
    // node) never replaces a newer one, and a tie goes to the later write, as
    // seq orders it in results.
    this.#latestSql = `INSERT INTO ${names.latest} AS l (${RESULT_COLUMNS})
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::smallint[], $5::float8[], $6::text[], $7::text[], $8::json[], $9::json[], $10::json[])
      ON CONFLICT (tenant_id, monitor_id) DO UPDATE SET
        at = excluded.at, status = excluded.status, latency_ms = excluded.latency_ms, message = excluded.message,
        reason = excluded.reason, phases = excluded.phases, metrics = excluded.metrics, observations = excluded.observations
      WHERE excluded.at >= l.at`
  }

  async write(batches: readonly QueuedBatch[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.#partitions.ensure(startTimes(batches, (at) => this.#partitions.covers(at)))
      try {
        await this.#run(batches)
        return
      } catch (err) {
        const code = (err as { code?: unknown }).code
        if (attempt >= MAX_TRIES || typeof code !== 'string' || !RETRY_CODES.has(code)) throw err
        if (code === '23514') await this.#partitions.load()
      }
    }
  }

  async #run(batches: readonly QueuedBatch[]): Promise<void> {
    const client = await this.#pool.connect()
    let discard: Error | undefined
    try {
      await client.query(this.#beginSql)
      await this.#transaction(client, batches)
      await client.query('COMMIT')
    } catch (err) {
      // After a failed COPY the connection may be mid-protocol; a failed
      // ROLLBACK or a lost connection means it must not be reused.
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (discard = rollbackErr))
      if (isConnectionError(err)) discard = err as Error
      throw err
    } finally {
      client.release(discard)
    }
  }

  async #transaction(client: pg.PoolClient, batches: readonly QueuedBatch[]): Promise<void> {
    const now = Date.now()
    let earliest = Number.POSITIVE_INFINITY
    for (const b of batches) for (const r of b.results) if (r.startedAt < earliest) earliest = r.startedAt
    const marked = await client.query<{ id: string }>(this.#markSql, [
      batches.map((b) => b.id),
      batches.map((b) => b.results.length),
      batches.map(() => now),
      earliest
    ])
    const fresh = new Set(marked.rows.map((r) => r.id))
    const todo = fresh.size === batches.length ? batches : batches.filter((b) => fresh.has(b.id))
    if (todo.length === 0) return
    await pipeline(Readable.from(copyChunks(todo)), client.query(copyFrom(this.#copySql)))
    await client.query(this.#latestSql, latestColumns(todo))
  }
}

/** Start times whose partition is not known yet (checked once per distinct time). */
function startTimes(batches: readonly QueuedBatch[], covered: (at: number) => boolean): number[] {
  const seen = new Set<number>()
  const out: number[] = []
  for (const b of batches) {
    for (const r of b.results) {
      if (seen.has(r.startedAt)) continue
      seen.add(r.startedAt)
      if (!covered(r.startedAt)) out.push(r.startedAt)
    }
  }
  return out
}

function* copyChunks(batches: readonly QueuedBatch[]): Generator<string> {
  let chunk = ''
  let lines = 0
  for (const b of batches) {
    for (const r of b.results) {
      chunk += copyLine(r)
      if (++lines === LINES_PER_CHUNK) {
        yield chunk
        chunk = ''
        lines = 0
      }
    }
  }
  if (chunk !== '') yield chunk
}

/**
 * The newest result per monitor as ten parallel arrays for unnest, sorted by
 * (tenant, monitor): concurrent transactions then lock latest rows in the same
 * order and cannot deadlock each other.
 */
function latestColumns(batches: readonly QueuedBatch[]): unknown[][] {
  const newest = new Map<string, CheckResult>()
  for (const b of batches) {
    for (const r of b.results) {
      // JSON keeps the two ids apart whatever characters they contain.
      const key = JSON.stringify([r.tenantId, r.monitorId])
      const top = newest.get(key)
      if (top === undefined || r.startedAt >= top.startedAt) newest.set(key, r)
    }
  }
  const keys = [...newest.keys()].sort()
  const columns: unknown[][] = Array.from({ length: 10 }, () => new Array<unknown>(keys.length))
  keys.forEach((key, i) => {
    const r = newest.get(key) as CheckResult
    const values = [r.tenantId, r.monitorId, ...rowValues(r)]
    for (let c = 0; c < 10; c++) (columns[c] as unknown[])[i] = values[c]
  })
  return columns
}
