import type pg from 'pg'
import { decodeCursor, encodeCursor, pageLimit, timeRange } from '@vedette/sdk'
import type { CheckResult, CheckStatus, LatencySummary, Page, TimeRangeQuery } from '@vedette/sdk'
import { decodeRow, READ_COLUMNS, STATUS_NAMES, UNKNOWN_CODE, type ResultRow } from './result-codec.js'
import type { SchemaNames } from './schema-names.js'
import { afterCondition, orderBy, rangeCondition } from './sql-paging.js'

type LatestRow = [monitorId: string, ...rest: ResultRow]

/** Raw per-status counts and latency summary over a window, as the raw tier answers it. */
export interface RawUptime {
  counts: Record<CheckStatus, number>
  latency: LatencySummary | null
}

/** Reads of raw results and of the latest-result table. */
export class ResultQueries {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames

  constructor(pool: pg.Pool, names: SchemaNames) {
    this.#pool = pool
    this.#n = names
  }

  async page(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>> {
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `results:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const bounds = rangeCondition('at', range, 4)
    const params: unknown[] = [tenantId, monitorId, limit + 1, ...bounds.params]
    // Results before raw_from are past the raw retention: a maintenance pass
    // cut them, and they wait in their partition until it is dropped whole.
    let sql = `SELECT ${READ_COLUMNS} FROM ${this.#n.results} WHERE tenant_id = $1 AND monitor_id = $2${bounds.sql}
      AND at >= coalesce((SELECT raw_from FROM ${this.#n.marks}), ${Number.MIN_SAFE_INTEGER})`
    if (after !== undefined) {
      sql += afterCondition('at', 'seq', range.order, params.length + 1)
      params.push(after[0], after[1])
    }
    sql += `${orderBy('at', 'seq', range.order)} LIMIT $3`
    const { rows } = await this.#pool.query<ResultRow>({ text: sql, values: params, rowMode: 'array' })
    const page = rows.slice(0, limit)
    const items = page.map((row) => decodeRow(tenantId, monitorId, row))
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[0], last[1]]) } : { items }
  }

  async latest(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    const out = new Map<string, CheckResult>()
    if (monitorIds !== undefined && monitorIds.length === 0) return out
    // latest_results has no seq; 0 fills its place in the row layout.
    let sql = `SELECT monitor_id, at, 0, status, latency_ms, message, reason, phases, metrics, observations FROM ${this.#n.latest} WHERE tenant_id = $1`
    const params: unknown[] = [tenantId]
    if (monitorIds !== undefined) {
      sql += ' AND monitor_id = ANY($2::text[])'
      params.push(monitorIds)
    }
    const { rows } = await this.#pool.query<LatestRow>({ text: sql, values: params, rowMode: 'array' })
    for (const [monitorId, ...row] of rows) out.set(monitorId, decodeRow(tenantId, monitorId, row))
    return out
  }

  /**
   * Counts per status and the latency summary of runs that were not
   * `unknown`, computed in SQL: percentile_disc is the nearest-rank
   * percentile the SDK's summarizeLatencies uses, so only one row comes back
   * however many results the window holds.
   */
  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<RawUptime> {
    const bounds = rangeCondition('at', { from, to }, 3)
    const known = `FILTER (WHERE status <> ${UNKNOWN_CODE})`
    const perStatus = STATUS_NAMES.map((_, code) => `count(*) FILTER (WHERE status = ${code})::int`).join(', ')
    const { rows } = await this.#pool.query<[...number[], number | null, number | null, number | null, number[] | null]>({
      text: `SELECT ${perStatus}, min(latency_ms) ${known}, avg(latency_ms) ${known}, max(latency_ms) ${known},
               percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) ${known}
             FROM ${this.#n.results} WHERE tenant_id = $1 AND monitor_id = $2${bounds.sql}`,
      values: [tenantId, monitorId, ...bounds.params],
      rowMode: 'array'
    })
    const row = rows[0] ?? []
    const out: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
    STATUS_NAMES.forEach((name, code) => (out[name] = (row[code] as number | undefined) ?? 0))
    const [min, avg, max, pct] = row.slice(STATUS_NAMES.length) as [number | null, number | null, number | null, number[] | null]
    const latency =
      min === null || avg === null || max === null || pct === null || pct === undefined
        ? null
        : { min, avg, max, p50: pct[0] as number, p95: pct[1] as number, p99: pct[2] as number }
    return { counts: out, latency }
  }
}
