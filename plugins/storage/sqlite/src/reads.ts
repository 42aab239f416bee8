import { decodeCursor, encodeCursor, pageLimit, timeRange } from '@vedette/sdk'
import type { CheckResult, Page, StateChangeEvent, TimeRange, TimeRangeQuery } from '@vedette/sdk'
import type { ShapeRegistry } from './registry-caches.js'
import { decodeResult } from './result-codec.js'
import { toTransition } from './rows.js'
import type { PagedStatements } from './page-sql.js'
import type { Statements } from './statements.js'

// The paged reads of results and transitions. The query is validated before
// the monitor is looked up, so a bad cursor is a 400 even for an unknown monitor.

/** A latest-result row as latestResults gets it from JSON: the value column already parsed. */
type LatestRow = [startedAt: number, seq: number, status: number, latencyUs: number, shape: number, vals: unknown[] | null]

export function resultPage(
  sql: Statements,
  shapes: ShapeRegistry,
  tenantId: string,
  monitorId: string,
  refOf: () => number | undefined,
  query: TimeRangeQuery | undefined
): Page<CheckResult> {
  const range = timeRange(query)
  const limit = pageLimit(query)
  const kind = `results:${range.order}`
  const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
  const ref = refOf()
  if (ref === undefined) return { items: [] }
  const rows = pagedRows(sql.resultPage, ref, range, after, limit + 1)
  const page = rows.slice(0, limit)
  const items = page.map(([startedAt, , status, latencyUs, shape, vals]) => decodeResult(tenantId, monitorId, startedAt, status, latencyUs, shapes.byId(shape), vals))
  const last = page[page.length - 1]
  return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[0], last[1]]) } : { items }
}

export function latestResults(sql: Statements, shapes: ShapeRegistry, tenantId: string, monitorIds: readonly string[] | undefined): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>()
  if (monitorIds !== undefined && monitorIds.length === 0) return out
  const json = monitorIds === undefined ? sql.latestByTenant.get(tenantId) : sql.latestByIds.get(tenantId, JSON.stringify(monitorIds))
  const rows = JSON.parse(json ?? '[]') as [string, ...LatestRow][]
  for (const [monitorId, startedAt, , status, latencyUs, shape, vals] of rows) {
    out.set(monitorId, decodeResult(tenantId, monitorId, startedAt, status, latencyUs, shapes.byId(shape), vals))
  }
  return out
}

export function transitionPage(
  sql: Statements,
  tenantId: string,
  monitorId: string,
  refOf: () => number | undefined,
  query: TimeRangeQuery | undefined
): Page<StateChangeEvent> {
  const range = timeRange(query)
  const limit = pageLimit(query)
  const kind = `transitions:${range.order}`
  const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
  const ref = refOf()
  if (ref === undefined) return { items: [] }
  const rows = pagedRows(sql.transitionPage, ref, range, after, limit + 1)
  const page = rows.slice(0, limit)
  const items = page.map((row) => toTransition(tenantId, monitorId, row))
  const last = page[page.length - 1]
  return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[1], last[0]]) } : { items }
}

/** Runs the right variant of a paged statement (see pageSql in statements.ts). */
function pagedRows<R>(stmts: PagedStatements<R>, ref: number, range: TimeRange, after: readonly [number, number] | undefined, limit: number): R[] {
  const { from, to, order } = range
  // A cursor outside [from, to) (the caller changed the range between
  // pages) excludes nothing inside it, so the plain range query is exact.
  if (after === undefined || (order === 'desc' ? after[0] >= to : after[0] < from)) return stmts[order].all(ref, from, to, limit)
  const [time, tie] = after
  return order === 'desc' ? stmts.descAfter.all(ref, from, time, time, tie, limit) : stmts.ascAfter.all(ref, time, to, time, tie, limit)
}
