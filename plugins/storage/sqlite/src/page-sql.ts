import type { Stmt } from './statements.js'

// The SQL text of paged reads, and of reads over both homes of raw results.

/** The connection's TEMP index of staged rows not merged yet (result-staging.ts creates it). */
export const STAGED = 'temp.staged_keys'

export type Order = 'asc' | 'desc'
export type PageParams = [ref: number, from: number, to: number, limit: number]
export type PageAfterParams = [ref: number, low: number, high: number, time: number, tie: number, limit: number]
export interface PagedStatements<R> {
  asc: Stmt<PageParams, R>
  desc: Stmt<PageParams, R>
  ascAfter: Stmt<PageAfterParams, R>
  descAfter: Stmt<PageAfterParams, R>
}
const DIR = { asc: 'ASC', desc: 'DESC' } as const

/**
 * A time-ranged page over one monitor's rows of `table`, ordered by
 * (time, tiebreaker). Without a cursor the parameters are ref, from, to,
 * limit. With one they are ref, low, high, cursor time, cursor tiebreaker,
 * limit, where the cursor time replaces the bound on its side: the index range
 * then starts at the cursor instead of at the edge of the range, so page N
 * does not rescan the N - 1 pages before it. (The store skips the cursor when
 * it lies outside the range; see pagedRows in reads.ts.)
 */
export function pageSql(columns: string, table: string, time: string, tie: string, order: Order, withCursor: boolean): string {
  return `SELECT ${columns} FROM ${table} WHERE ${rangeWhere('ref', time, tie, order, withCursor)} ORDER BY ${time} ${DIR[order]}, ${tie} ${DIR[order]} LIMIT ?`
}

/** The WHERE clause of a page (see pageSql); its parameters are ref, then the range and cursor ones. */
function rangeWhere(ref: string, time: string, tie: string, order: Order, withCursor: boolean): string {
  let where = `${time} >= ? AND ${time} < ?`
  if (withCursor) {
    where =
      order === 'desc'
        ? `${time} >= ? AND ${time} <= ? AND (${time} < ? OR ${tie} < ?)`
        : `${time} >= ? AND ${time} < ? AND (${time} > ? OR ${tie} > ?)`
  }
  return `${ref} = ? AND ${where}`
}

/**
 * The result page statements: the same pages over `results` and the staged
 * rows not merged yet (found through the connection's TEMP index of them, see
 * result-staging.ts), as one ordered stream. A row has the same (started_at,
 * seq) staged and merged, so cursors hold across a merge. SQLite merges the
 * two ordered halves (MERGE (UNION ALL)) and stops at the limit. Parameters:
 * those of pageSql without the limit, twice, then the limit.
 */
export function resultPageSql(order: Order, withCursor: boolean): string {
  const merged = `SELECT started_at, seq, status, latency_us, shape, vals FROM results WHERE ${rangeWhere('ref', 'started_at', 'seq', order, withCursor)}`
  const staged =
    `SELECT k.started_at, k.seq, s.status, s.latency_us, s.shape, s.vals FROM ${STAGED} AS k CROSS JOIN results_staged AS s ON s.id = k.id ` +
    `WHERE ${rangeWhere('k.ref', 'k.started_at', 'k.seq', order, withCursor)}`
  return `${merged} UNION ALL ${staged} ORDER BY started_at ${DIR[order]}, seq ${DIR[order]} LIMIT ?`
}

/**
 * The raw results of one monitor started in [from, to), merged and staged,
 * with the given columns of each (`k.` names the index, `s.` the staged row:
 * e.g. `k.started_at`, `s.status`). Parameters: ref, from, to, twice.
 */
export function bothTablesSql(columns: readonly string[]): string {
  const merged = columns.map((c) => c.slice(2)).join(', ')
  return (
    `SELECT ${merged} FROM results WHERE ref = ? AND started_at >= ? AND started_at < ? UNION ALL ` +
    `SELECT ${columns.join(', ')} FROM ${STAGED} AS k CROSS JOIN results_staged AS s ON s.id = k.id ` +
    'WHERE k.ref = ? AND k.started_at >= ? AND k.started_at < ?'
  )
}
