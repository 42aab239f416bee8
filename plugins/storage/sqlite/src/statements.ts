import type { Database } from 'better-sqlite3'
import { decodeCursor, encodeCursor, incidentFilter, pageLimit } from '@vedette/sdk'
import type { Incident, IncidentQuery, Page } from '@vedette/sdk'
import { pageSql, resultPageSql, STAGED, type Order, type PageAfterParams, type PagedStatements, type PageParams } from './page-sql.js'
import { toIncident } from './rows.js'

/**
 * The part of a better-sqlite3 statement this store uses. Declared here
 * because the package's own `Statement` type resolves to a namespace that
 * declaration files cannot name.
 */
export interface Stmt<P extends unknown[], R = unknown> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint }
  get(...params: P): R | undefined
  all(...params: P): R[]
  iterate(...params: P): IterableIterator<R>
}

/** A result row as the page and latest queries return it (raw mode). */
export type ResultRow = [startedAt: number, seq: number, status: number, latencyUs: number, shape: number, vals: string | null]
export type MonitorRow = [
  monitorId: string,
  name: string,
  type: string,
  enabled: number,
  tags: string,
  definition: string,
  createdAt: number,
  updatedAt: number
]
export type TransitionRow = [id: number, at: number, from: string, to: string, reason: string]
export type IncidentRow = [id: number, monitorId: string, status: string, reason: string, startedAt: number, endedAt: number | null]

/** Every statement the store runs, prepared once at start. */
export function prepareStatements(db: Database) {
  const stmt = <P extends unknown[]>(sql: string): Stmt<P> => db.prepare<P>(sql)
  const raw = <P extends unknown[], R>(sql: string): Stmt<P, R> => db.prepare<P, R>(sql).raw(true)
  const pluck = <P extends unknown[], R>(sql: string): Stmt<P, R> => db.prepare<P, R>(sql).pluck(true)
  const paged = <R>(columns: string, table: string, time: string, tie: string): PagedStatements<R> => ({
    asc: raw<PageParams, R>(pageSql(columns, table, time, tie, 'asc', false)),
    desc: raw<PageParams, R>(pageSql(columns, table, time, tie, 'desc', false)),
    ascAfter: raw<PageAfterParams, R>(pageSql(columns, table, time, tie, 'asc', true)),
    descAfter: raw<PageAfterParams, R>(pageSql(columns, table, time, tie, 'desc', true))
  })
  // A union page statement behind the PagedStatements interface: the caller's
  // parameters but the limit are passed once per half of the union.
  const union = <P extends unknown[]>(order: Order, withCursor: boolean): Stmt<P, ResultRow> => {
    const stmt = db.prepare<unknown[], ResultRow>(resultPageSql(order, withCursor)).raw(true)
    const twice = (p: unknown[]): unknown[] => [...p.slice(0, -1), ...p]
    return {
      run: (...p) => stmt.run(...twice(p)),
      get: (...p) => stmt.get(...twice(p)),
      all: (...p) => stmt.all(...twice(p)),
      iterate: (...p) => stmt.iterate(...twice(p))
    }
  }
  const monitorColumns = 'r.monitor_id, m.name, m.type, m.enabled, m.tags, m.definition, m.created_at, m.updated_at'

  return {
    refGet: pluck<[string, string], number>('SELECT ref FROM monitor_refs WHERE tenant_id = ? AND monitor_id = ?'),
    refInsert: stmt<[string, string]>('INSERT INTO monitor_refs (tenant_id, monitor_id) VALUES (?, ?)'),
    /**
     * Everything keyed by ref, children first; monitor_refs goes last. Staged
     * rows are found through the TEMP index, and go before their index entries.
     */
    deleteByRef: [
      `DELETE FROM results_staged WHERE id IN (SELECT id FROM ${STAGED} WHERE ref = ?)`,
      ...[
        STAGED,
        'results',
        'latest_results',
        'transitions',
        'monitor_states',
        'incidents',
        'monitors',
        'rollups_minute',
        'rollups_hour',
        'rollups_day',
        'monitor_refs'
      ].map((table) => `DELETE FROM ${table} WHERE ref = ?`)
    ].map((sql) => stmt<[number]>(sql)),

    monitorUpsert: stmt<[number, string, string, number, string, string, number, number]>(
      `INSERT INTO monitors (ref, name, type, enabled, tags, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET name = excluded.name, type = excluded.type, enabled = excluded.enabled, tags = excluded.tags,
         definition = excluded.definition, created_at = excluded.created_at, updated_at = excluded.updated_at`
    ),
    monitorGet: raw<[string, string], MonitorRow>(
      `SELECT ${monitorColumns} FROM monitor_refs r JOIN monitors m ON m.ref = r.ref WHERE r.tenant_id = ? AND r.monitor_id = ?`
    ),
    monitorList: raw<[string, number], MonitorRow>(
      `SELECT ${monitorColumns} FROM monitor_refs r JOIN monitors m ON m.ref = r.ref
       WHERE r.tenant_id = ? ORDER BY r.monitor_id LIMIT ?`
    ),
    monitorListAfter: raw<[string, string, number], MonitorRow>(
      `SELECT ${monitorColumns} FROM monitor_refs r JOIN monitors m ON m.ref = r.ref
       WHERE r.tenant_id = ? AND r.monitor_id > ? ORDER BY r.monitor_id LIMIT ?`
    ),

    shapeAll: raw<[], [number, string]>('SELECT shape, descriptor FROM result_shapes'),
    shapeInsert: stmt<[string]>('INSERT INTO result_shapes (descriptor) VALUES (?)'),

    // id comes from the store (ResultStaging#nextId); a TEMP trigger indexes the row.
    stagedInsert: stmt<[number, number, number, number, number, number, number, string | null]>(
      'INSERT INTO results_staged (id, ref, started_at, seq, status, latency_us, shape, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    ),
    latestKey: raw<[number], [startedAt: number, seq: number]>('SELECT started_at, seq FROM latest_results WHERE ref = ?'),
    // The next seq at (ref, started_at) over merged and staged rows; parameters twice.
    resultNextSeq: pluck<[number, number, number, number], number>(
      `SELECT max(top) + 1 FROM (SELECT coalesce(max(seq), -1) AS top FROM results WHERE ref = ? AND started_at = ?
       UNION ALL SELECT coalesce(max(seq), -1) FROM ${STAGED} WHERE ref = ? AND started_at = ?)`
    ),
    latestUpsert: stmt<[number, number, number, number, number, number, string | null]>(
      `INSERT INTO latest_results (ref, started_at, seq, status, latency_us, shape, vals) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET started_at = excluded.started_at, seq = excluded.seq, status = excluded.status,
         latency_us = excluded.latency_us, shape = excluded.shape, vals = excluded.vals
       WHERE excluded.started_at > latest_results.started_at
          OR (excluded.started_at = latest_results.started_at AND excluded.seq > latest_results.seq)`
    ),
    resultPage: {
      asc: union<PageParams>('asc', false),
      desc: union<PageParams>('desc', false),
      ascAfter: union<PageAfterParams>('asc', true),
      descAfter: union<PageAfterParams>('desc', true)
    } satisfies PagedStatements<ResultRow>,
    // One JSON document per call instead of a JS row per monitor: better-sqlite3
    // spends ~2 µs building each row's values, JSON.parse far less, and json()
    // embeds the value column already parsed (numbers keep their exact text).
    latestByTenant: pluck<[string], string>(
      `SELECT json_group_array(json_array(r.monitor_id, l.started_at, l.seq, l.status, l.latency_us, l.shape, json(l.vals)))
       FROM monitor_refs r JOIN latest_results l ON l.ref = r.ref WHERE r.tenant_id = ?`
    ),
    latestByIds: pluck<[string, string], string>(
      `SELECT json_group_array(json_array(r.monitor_id, l.started_at, l.seq, l.status, l.latency_us, l.shape, json(l.vals)))
       FROM monitor_refs r JOIN latest_results l ON l.ref = r.ref
       WHERE r.tenant_id = ? AND r.monitor_id IN (SELECT value FROM json_each(?))`
    ),
    transitionInsert: stmt<[number, number, string, string, string]>(
      'INSERT INTO transitions (ref, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)'
    ),
    transitionPage: paged<TransitionRow>('id, at, from_status, to_status, reason', 'transitions', 'at', 'id'),
    stateUpsert: stmt<[number, string, number, string]>(
      `INSERT INTO monitor_states (ref, status, since, reason) VALUES (?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET status = excluded.status, since = excluded.since, reason = excluded.reason`
    ),
    statesByTenant: raw<[string], [monitorId: string, status: string, since: number, reason: string]>(
      `SELECT r.monitor_id, s.status, s.since, s.reason FROM monitor_refs r JOIN monitor_states s ON s.ref = r.ref
       WHERE r.tenant_id = ? ORDER BY r.monitor_id`
    ),
    incidentOpen: raw<[number], [id: number, status: string]>('SELECT id, status FROM incidents WHERE ref = ? AND ended_at IS NULL'),
    incidentInsert: stmt<[number, string, string, number]>(
      'INSERT INTO incidents (ref, status, reason, started_at) VALUES (?, ?, ?, ?)'
    ),
    incidentRaise: stmt<[string, number]>("UPDATE incidents SET status = 'down', reason = ? WHERE id = ?"),
    incidentClose: stmt<[number, number]>('UPDATE incidents SET ended_at = ? WHERE id = ?')
  }
}

export type Statements = ReturnType<typeof prepareStatements>

/**
 * Incident listings filter on up to three optional conditions; each of the
 * twelve combinations is prepared on first use and kept.
 */
export class IncidentQueries {
  readonly #db: Database
  readonly #cache = new Map<string, Stmt<unknown[], IncidentRow>>()

  constructor(db: Database) {
    this.#db = db
  }

  /** One page of a tenant's incidents, newest first, with the query's filters and cursor. */
  page(tenantId: string, query: IncidentQuery | undefined): Page<Incident> {
    const limit = pageLimit(query)
    const { monitorId, open } = incidentFilter(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'incidents', ['number', 'number'])
    const params: unknown[] = [tenantId]
    if (monitorId !== undefined) params.push(monitorId)
    if (after !== undefined) params.push(after[0], after[0], after[1])
    params.push(limit + 1)
    const rows = this.get(monitorId !== undefined, open, after !== undefined).all(...params)
    const page = rows.slice(0, limit)
    const items = page.map((row) => toIncident(tenantId, row))
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('incidents', [last[4], last[0]]) } : { items }
  }

  get(byMonitor: boolean, open: boolean | undefined, withCursor: boolean): Stmt<unknown[], IncidentRow> {
    const key = `${byMonitor}/${open}/${withCursor}`
    let stmt = this.#cache.get(key)
    if (stmt === undefined) {
      const where = ['r.tenant_id = ?']
      if (byMonitor) where.push('r.monitor_id = ?')
      if (open !== undefined) where.push(open ? 'i.ended_at IS NULL' : 'i.ended_at IS NOT NULL')
      if (withCursor) where.push('(i.started_at < ? OR (i.started_at = ? AND i.id < ?))')
      stmt = this.#db
        .prepare<unknown[], IncidentRow>(
          `SELECT i.id, r.monitor_id, i.status, i.reason, i.started_at, i.ended_at
           FROM incidents i JOIN monitor_refs r ON r.ref = i.ref
           WHERE ${where.join(' AND ')} ORDER BY i.started_at DESC, i.id DESC LIMIT ?`
        )
        .raw(true)
      this.#cache.set(key, stmt)
    }
    return stmt
  }
}
