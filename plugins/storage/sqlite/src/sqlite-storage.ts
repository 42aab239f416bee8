import type { Database } from 'better-sqlite3'
import {
  assertMaintenanceTime,
  assertDocumentKey,
  assertMonitor,
  assertTransition,
  decodeCursor,
  encodeCursor,
  pageLimit,
  StorageNotStartedError,
  timeBound
} from '@vedette/sdk'
import type {
  CheckResult,
  DeliveryAttempt,
  DocumentQuery,
  Incident,
  IncidentQuery,
  Logger,
  MonitorRecord,
  MonitorState,
  MonitorStatus,
  NewOutboxItem,
  OutboxItem,
  OutboxQuery,
  OutboxSettlement,
  Page,
  PageQuery,
  RetentionPolicy,
  RetentionReport,
  StateChangeEvent,
  StorageInstance,
  StoredDocument,
  TimeRangeQuery,
  UptimeSummary
} from '@vedette/sdk'
import type { ResolvedSqliteConfig } from './config.js'
import { closeDatabase, openDatabase } from './open-database.js'
import { RefCache, ShapeRegistry } from './registry-caches.js'
import { latestResults, resultPage, transitionPage } from './reads.js'
import { toMonitor } from './rows.js'
import { SqliteOutbox } from './sqlite-outbox.js'
import { SqliteRetention } from './sqlite-retention.js'
import { IncidentQueries, prepareStatements, type Statements } from './statements.js'
import { applyTransition, writeResultBatch } from './writes.js'
import { SqliteDocuments } from './documents.js'

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
  outbox: SqliteOutbox
  retention: SqliteRetention
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
      const retention = new SqliteRetention(db, this.#options.retention)
      this.#open = {
        db,
        sql,
        shapes,
        incidents: new IncidentQueries(db),
        put: db.transaction((monitor: MonitorRecord) => this.#put(monitor)),
        // A result for a bucket already rolled up marks it for the next maintenance pass.
        writeBatch: db.transaction((batch: readonly CheckResult[]) => retention.noteBatch(writeResultBatch(sql, shapes, refOf, batch))),
        record: db.transaction((event: StateChangeEvent) => applyTransition(sql, refOf, event)),
        remove: db.transaction((tenantId: string, monitorId: string) => this.#remove(tenantId, monitorId)),
        documents: new SqliteDocuments(db),
        outbox: new SqliteOutbox(db),
        retention
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
    // A maintenance pass already asked for finishes first; one queued after this is refused.
    await open.retention.idle()
    if (this.#open !== open) return
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
    return resultPage(sql, shapes, tenantId, monitorId, () => this.#ref(tenantId, monitorId, false), query)
  }

  async latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    const { sql, shapes } = this.#running()
    return latestResults(sql, shapes, tenantId, monitorIds)
  }

  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    const { retention } = this.#running()
    timeBound(from, 'from', 0)
    timeBound(to, 'to', 0)
    return retention.uptime(this.#ref(tenantId, monitorId, false), from, to)
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    const open = this.#running()
    assertTransition(event)
    this.#atomically(() => open.record(event))
  }

  async listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    return transitionPage(this.#running().sql, tenantId, monitorId, () => this.#ref(tenantId, monitorId, false), query)
  }

  async monitorStates(tenantId: string): Promise<MonitorState[]> {
    const rows = this.#running().sql.statesByTenant.all(tenantId)
    return rows.map(([monitorId, status, since, reason]) => ({ tenantId, monitorId, status: status as MonitorStatus, since, reason }))
  }

  async putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    assertDocumentKey(tenantId, collection, id)
    this.#running().documents.put(tenantId, collection, id, doc)
  }

  async insertDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<boolean> {
    assertDocumentKey(tenantId, collection, id)
    return this.#running().documents.insert(tenantId, collection, id, doc)
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
    return this.#running().incidents.page(tenantId, query)
  }

  async enqueueOutbox(items: readonly NewOutboxItem[]): Promise<string[]> {
    return this.#running().outbox.enqueue(items)
  }

  async claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    return this.#running().outbox.claim(owner, now, leaseMs, limit)
  }

  async settleOutbox(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): Promise<boolean> {
    return this.#running().outbox.settle(tenantId, id, owner, attempt, next)
  }

  async getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | undefined> {
    return this.#running().outbox.get(tenantId, id)
  }

  async listOutbox(tenantId: string, query?: OutboxQuery): Promise<Page<OutboxItem>> {
    return this.#running().outbox.list(tenantId, query)
  }

  async maintain(now: number): Promise<RetentionReport> {
    const open = this.#running()
    assertMaintenanceTime(now)
    return open.retention.maintain(now, () => {
      if (this.#open !== open) throw new StorageNotStartedError(this.#options.name)
    })
  }

  retentionPolicy(): RetentionPolicy {
    return { ...this.#options.retention }
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
