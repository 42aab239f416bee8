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
import { closeDatabase } from './open-database.js'
import { openStore, type Open } from './open-store.js'
import { latestResults, resultPage, transitionPage } from './reads.js'
import type { StagingOptions } from './result-staging.js'
import { toMonitor } from './rows.js'

export interface SqliteStorageOptions extends ResolvedSqliteConfig {
  /** Names the store in errors (the plugin's package name). */
  name: string
  logger: Logger
  /** When staged results are merged (see result-staging.ts); STAGING_DEFAULTS when left out. Not part of the config. */
  staging?: Partial<StagingOptions>
}

/**
 * The storage contract on one SQLite file (better-sqlite3, WAL). Calls run
 * synchronously inside their promise: a 1,000-result batch holds the event
 * loop for a few milliseconds, which is cheaper than a thread hop per call.
 * Results are staged and merged later (result-staging.ts); while a merge is
 * due, a write also moves one chunk, tens of milliseconds more.
 */
export class SqliteStorage implements StorageInstance {
  readonly #options: SqliteStorageOptions
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
    this.#open = openStore(this.#options)
    this.#options.logger.debug({ path: this.path }, 'sqlite storage open')
  }

  async stop(): Promise<void> {
    const open = this.#open
    if (open === undefined) return
    // A maintenance pass already asked for finishes first; one queued after this is refused.
    await open.retention.idle()
    if (this.#open !== open) return
    this.#open = undefined
    try {
      // Leaves results_staged empty, so the file alone is the whole store in its plain form.
      open.staging.close()
    } catch (err) {
      this.#options.logger.error({ err, staged: open.staging.staged }, 'sqlite storage: merge at stop failed; staged results stay staged and are merged after the next start')
    }
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
    const ref = this.#atomically(() => open.remove(tenantId, id))
    if (ref === undefined) return false
    open.newest.delete(ref)
    open.staging.recount()
    return true
  }

  async writeResults(batch: readonly CheckResult[]): Promise<void> {
    const open = this.#running()
    if (batch.length === 0) return
    this.#atomically(() => open.writeBatch(batch))
    open.staging.written(batch.length)
  }

  async queryResults(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>> {
    const { sql, shapes, refs } = this.#running()
    return resultPage(sql, shapes, tenantId, monitorId, () => refs.get(tenantId, monitorId, false), query)
  }

  async latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    const { sql, shapes } = this.#running()
    return latestResults(sql, shapes, tenantId, monitorIds)
  }

  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    const { retention, refs } = this.#running()
    timeBound(from, 'from', 0)
    timeBound(to, 'to', 0)
    return retention.uptime(refs.get(tenantId, monitorId, false), from, to)
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    const open = this.#running()
    assertTransition(event)
    this.#atomically(() => open.record(event))
  }

  async listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    const { sql, refs } = this.#running()
    return transitionPage(sql, tenantId, monitorId, () => refs.get(tenantId, monitorId, false), query)
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
    const assertOpen = (): void => {
      if (this.#open !== open) throw new StorageNotStartedError(this.#options.name)
    }
    // Merged first, so the pass rolls up and deletes in results alone what was written before it.
    return open.retention.maintain(now, assertOpen, () => open.staging.mergeAll(assertOpen))
  }

  retentionPolicy(): RetentionPolicy {
    return { ...this.#options.retention }
  }

  #running(): Open {
    if (this.#open === undefined) throw new StorageNotStartedError(this.#options.name)
    return this.#open
  }

  /**
   * Runs a transaction wrapper. When it rolls back, refs, shapes and newest
   * keys it cached are gone from the file, so they must go from the caches
   * too, or a later write would reuse an id that now names nothing (or
   * something else); the staged count is read again.
   */
  #atomically<T>(tx: () => T): T {
    try {
      return tx()
    } catch (err) {
      const open = this.#open
      open?.refs.clear()
      open?.shapes.reload()
      open?.newest.clear()
      open?.staging.recount()
      throw err
    }
  }
}
