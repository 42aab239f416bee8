import type { Database } from 'better-sqlite3'
import {
  assertDocumentKey,
  assertMonitor,
  assertTransition,
  decodeCursor,
  encodeCursor,
  incidentFilter,
  pageLimit,
  StorageNotStartedError,
  timeBound,
  timeRange,
  uptimeSummary
} from '@vedette/sdk'
import type {
  CheckResult,
  CheckStatus,
  DocumentQuery,
  Incident,
  IncidentQuery,
  Logger,
  MonitorRecord,
  MonitorState,
  MonitorStatus,
  Page,
  PageQuery,
  StateChangeEvent,
  StorageInstance,
  StoredDocument,
  TimeRange,
  TimeRangeQuery,
  UptimeSummary
} from '@vedette/sdk'
import type { ResolvedSqliteConfig } from './config.js'
import { closeDatabase, openDatabase } from './open-database.js'
import { RefCache, ShapeRegistry } from './registry-caches.js'
import { decodeResult, STATUS_NAMES } from './result-codec.js'
import { toIncident, toMonitor, toTransition } from './rows.js'
import { IncidentQueries, prepareStatements, type PagedStatements, type Statements } from './statements.js'
import { applyTransition, writeResultBatch } from './writes.js'
import { SqliteDocuments } from './documents.js'

/** A latest-result row as latestResults gets it from JSON: the value column already parsed. */
type LatestRow = [startedAt: number, seq: number, status: number, latencyUs: number, shape: number, vals: unknown[] | null]

export interface SqliteStorageOptions extends ResolvedSqliteConfig {
  /** Names the store in errors (the plugin's package name). */
  name: string
  logger: Logger
}

/** Everything that exists only between start() and stop(). */
interface Open {
  db: Database
  sql: Statements
  incidents: IncidentQueries
  shapes: ShapeRegistry
  // better-sqlite3 transaction wrappers: BEGIN, the body, COMMIT (or ROLLBACK on a throw).
  put: (monitor: MonitorRecord) => void
  writeBatch: (batch: readonly CheckResult[]) => void
  record: (event: StateChangeEvent) => void
  remove: (tenantId: string, monitorId: string) => boolean
  documents: SqliteDocuments
}

/**
 * The storage contract on one SQLite file (better-sqlite3, WAL). Calls run
 * synchronously inside their promise: a 1,000-result batch holds the event
 * loop for a few milliseconds, which is cheaper than a thread hop per call.
 */
export class SqliteStorage implements StorageInstance {
  readonly #options: SqliteStorageOptions
  readonly #refs = new RefCache()
  #open: Open | undefined

  constructor(options: SqliteStorageOptions) {
    this.#options = options
  }

  /** The resolved database path (or `:memory:`). */
  get path(): string {
    return this.#options.path
  }

  async start(): Promise<void> {
    if (this.#open !== undefined) return
    const db = openDatabase(this.#options)
    try {
      const sql = prepareStatements(db)
      const shapes = new ShapeRegistry(this.path, () => sql.shapeAll.all(), (d) => Number(sql.shapeInsert.run(d).lastInsertRowid))
      const refOf = (tenantId: string, monitorId: string): number => this.#ref(tenantId, monitorId, true)
      this.#open = {
        db,
        sql,
        shapes,
        incidents: new IncidentQueries(db),
        put: db.transaction((monitor: MonitorRecord) => this.#put(monitor)),
        writeBatch: db.transaction((batch: readonly CheckResult[]) => writeResultBatch(sql, shapes, refOf, batch)),
        record: db.transaction((event: StateChangeEvent) => applyTransition(sql, refOf, event)),
        remove: db.transaction((tenantId: string, monitorId: string) => this.#remove(tenantId, monitorId)),
        documents: new SqliteDocuments(db)
      }
    } catch (err) {
      db.close()
      throw err
    }
    this.#options.logger.debug({ path: this.path }, 'sqlite storage open')
  }

  async stop(): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    this.#open = undefined
    this.#refs.clear()
    closeDatabase(open.db)
  }

  async putMonitor(monitor: MonitorRecord): Promise<void> {
    const open = this.#running()
    assertMonitor(monitor)
    this.#atomically(() => open.put(monitor))
  }

  async putMonitors(monitors: readonly MonitorRecord[]): Promise<void> {
    const open = this.#running()
    monitors.forEach((m, i) => assertMonitor(m, `monitor #${i} of the batch`))
    // One transaction: 100,000 monitors cost one commit, not 100,000.
    this.#atomically(() => {
      for (const m of monitors) open.put(m)
    })
  }

  async getMonitor(tenantId: string, id: string): Promise<MonitorRecord | undefined> {
    const row = this.#running().sql.monitorGet.get(tenantId, id)
    return row === undefined ? undefined : toMonitor(tenantId, row)
  }

  async listMonitors(tenantId: string, query?: PageQuery): Promise<Page<MonitorRecord>> {
    const { sql } = this.#running()
    const limit = pageLimit(query)
    const rows =
      query?.cursor === undefined
        ? sql.monitorList.all(tenantId, limit + 1)
        : sql.monitorListAfter.all(tenantId, decodeCursor(query.cursor, 'monitors', ['string'])[0], limit + 1)
    const items = rows.slice(0, limit).map((row) => toMonitor(tenantId, row))
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('monitors', [last.id]) } : { items }
  }

  async deleteMonitor(tenantId: string, id: string): Promise<boolean> {
    const open = this.#running()
    return this.#atomically(() => open.remove(tenantId, id))
  }

  async writeResults(batch: readonly CheckResult[]): Promise<void> {
    const open = this.#running()
    if (batch.length > 0) this.#atomically(() => open.writeBatch(batch))
  }

  async queryResults(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>> {
    const { sql, shapes } = this.#running()
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `results:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const ref = this.#ref(tenantId, monitorId, false)
    if (ref === undefined) return { items: [] }
    const rows = this.#page(sql.resultPage, ref, range, after, limit + 1)
    const page = rows.slice(0, limit)
    const items = page.map(([startedAt, , status, latencyUs, shape, vals]) =>
      decodeResult(tenantId, monitorId, startedAt, status, latencyUs, shapes.byId(shape), vals)
    )
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[0], last[1]]) } : { items }
  }

  async latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    const { sql, shapes } = this.#running()
    const out = new Map<string, CheckResult>()
    if (monitorIds !== undefined && monitorIds.length === 0) return out
    const json = monitorIds === undefined ? sql.latestByTenant.get(tenantId) : sql.latestByIds.get(tenantId, JSON.stringify(monitorIds))
    const rows = JSON.parse(json ?? '[]') as [string, ...LatestRow][]
    for (const [monitorId, startedAt, , status, latencyUs, shape, vals] of rows) {
      out.set(monitorId, decodeResult(tenantId, monitorId, startedAt, status, latencyUs, shapes.byId(shape), vals))
    }
    return out
  }

  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    const { sql } = this.#running()
    timeBound(from, 'from', 0)
    timeBound(to, 'to', 0)
    const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
    const ref = this.#ref(tenantId, monitorId, false)
    const groups = ref === undefined ? [] : sql.uptimeByStatus.all(ref, from, to)
    let latencies: number[] = []
    for (const [code, count, latenciesUs] of groups) {
      const status = STATUS_NAMES[code] as CheckStatus
      counts[status] = count
      if (status !== 'unknown') latencies = latencies.concat((JSON.parse(latenciesUs) as number[]).map((us) => us / 1000))
    }
    return uptimeSummary(from, to, counts, latencies)
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    const open = this.#running()
    assertTransition(event)
    this.#atomically(() => open.record(event))
  }

  async listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    const { sql } = this.#running()
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `transitions:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const ref = this.#ref(tenantId, monitorId, false)
    if (ref === undefined) return { items: [] }
    const rows = this.#page(sql.transitionPage, ref, range, after, limit + 1)
    const page = rows.slice(0, limit)
    const items = page.map((row) => toTransition(tenantId, monitorId, row))
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[1], last[0]]) } : { items }
  }

  async monitorStates(tenantId: string): Promise<MonitorState[]> {
    const rows = this.#running().sql.statesByTenant.all(tenantId)
    return rows.map(([monitorId, status, since, reason]) => ({ tenantId, monitorId, status: status as MonitorStatus, since, reason }))
  }

  async putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    assertDocumentKey(tenantId, collection, id)
    this.#running().documents.put(tenantId, collection, id, doc)
  }

  async getDocument(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    return this.#running().documents.get(tenantId, collection, id)
  }

  async listDocuments(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    return this.#running().documents.list(tenantId, collection, query)
  }

  async deleteDocument(tenantId: string, collection: string, id: string): Promise<boolean> {
    return this.#running().documents.delete(tenantId, collection, id)
  }

  async listIncidents(tenantId: string, query?: IncidentQuery): Promise<Page<Incident>> {
    const { incidents } = this.#running()
    const limit = pageLimit(query)
    const { monitorId, open } = incidentFilter(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'incidents', ['number', 'number'])
    const params: unknown[] = [tenantId]
    if (monitorId !== undefined) params.push(monitorId)
    if (after !== undefined) params.push(after[0], after[0], after[1])
    params.push(limit + 1)
    const rows = incidents.get(monitorId !== undefined, open, after !== undefined).all(...params)
    const page = rows.slice(0, limit)
    const items = page.map((row) => toIncident(tenantId, row))
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('incidents', [last[4], last[0]]) } : { items }
  }

  /** Runs the right variant of a paged statement (see pageSql in statements.ts). */
  #page<R>(stmts: PagedStatements<R>, ref: number, range: TimeRange, after: readonly [number, number] | undefined, limit: number): R[] {
    const { from, to, order } = range
    // A cursor outside [from, to) (the caller changed the range between
    // pages) excludes nothing inside it, so the plain range query is exact.
    if (after === undefined || (order === 'desc' ? after[0] >= to : after[0] < from)) return stmts[order].all(ref, from, to, limit)
    const [time, tie] = after
    return order === 'desc' ? stmts.descAfter.all(ref, from, time, time, tie, limit) : stmts.ascAfter.all(ref, time, to, time, tie, limit)
  }

  #running(): Open {
    if (this.#open === undefined) throw new StorageNotStartedError(this.#options.name)
    return this.#open
  }

  /**
   * Runs a transaction wrapper. When it rolls back, refs and shapes it inserted
   * are gone from the file, so they must go from the caches too, or a later
   * write would reuse an id that now names nothing (or something else).
   */
  #atomically<T>(tx: () => T): T {
    try {
      return tx()
    } catch (err) {
      this.#refs.clear()
      this.#open?.shapes.reload()
      throw err
    }
  }

  /** The ref of (tenant, monitor); with `create`, inserted if missing (only inside a write transaction). */
  #ref(tenantId: string, monitorId: string, create: true): number
  #ref(tenantId: string, monitorId: string, create: false): number | undefined
  #ref(tenantId: string, monitorId: string, create: boolean): number | undefined {
    const cached = this.#refs.get(tenantId, monitorId)
    if (cached !== undefined) return cached
    const { sql } = this.#running()
    let ref = sql.refGet.get(tenantId, monitorId)
    if (ref === undefined && create) ref = Number(sql.refInsert.run(tenantId, monitorId).lastInsertRowid)
    if (ref !== undefined) this.#refs.set(tenantId, monitorId, ref)
    return ref
  }

  #put(monitor: MonitorRecord): void {
    const ref = this.#ref(monitor.tenantId, monitor.id, true)
    const { name, type, enabled, tags, definition, createdAt, updatedAt } = monitor
    this.#running().sql.monitorUpsert.run(ref, name, type, enabled ? 1 : 0, JSON.stringify(tags), JSON.stringify(definition), createdAt, updatedAt)
  }

  #remove(tenantId: string, monitorId: string): boolean {
    const { sql } = this.#running()
    // Straight from the table, not the cache: deletion must see the truth.
    const ref = sql.refGet.get(tenantId, monitorId)
    this.#refs.delete(tenantId, monitorId)
    if (ref === undefined) return false
    for (const stmt of sql.deleteByRef) stmt.run(ref)
    return true
  }
}
