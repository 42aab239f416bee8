import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { assertDocumentKey, assertMonitor, assertResult, assertTransition, isVedetteError, StorageNotStartedError, timeBound } from '@vedette/sdk'
import type {
  CheckResult,
  DeliveryAttempt,
  DocumentQuery,
  Incident,
  IncidentQuery,
  Logger,
  MonitorRecord,
  MonitorState,
  NewOutboxItem,
  OutboxItem,
  OutboxQuery,
  OutboxSettlement,
  OutboxStore,
  Page,
  PageQuery,
  RetentionPolicy,
  RetentionReport,
  RetentionStore,
  StateChangeEvent,
  StorageInstance,
  StoredDocument,
  TimeRangeQuery,
  UptimeSummary
} from '@vedette/sdk'
import { BatchWriter } from './batch-writer.js'
import type { ResolvedPostgresConfig } from './config.js'
import { DocumentQueries } from './document-queries.js'
import { StartFailedError, UnavailableError } from './errors.js'
import { migrate } from './migrations.js'
import { MonitorQueries } from './monitor-queries.js'
import { OutboxQueries } from './outbox-queries.js'
import { Partitions } from './partitions.js'
import { createPool, isConnectionError, redactError } from './pool.js'
import { redactSecrets, redactUrl } from './redact-url.js'
import { ResultBacklog } from './result-backlog.js'
import { assertStorable } from './result-codec.js'
import { ResultQueries } from './result-queries.js'
import { Retention } from './retention.js'
import { schemaNames } from './schema-names.js'
import { spillPrefix } from './spill-file.js'
import { StateQueries } from './state-queries.js'

export interface PostgresStorageOptions extends ResolvedPostgresConfig {
  /** Names the store in errors (the plugin's package name). */
  name: string
  logger: Logger
}

/** Everything that exists only between start() and stop(). */
interface Open {
  pool: pg.Pool
  partitions: Partitions
  writer: BatchWriter
  backlog: ResultBacklog
  monitors: MonitorQueries
  results: ResultQueries
  states: StateQueries
  documents: DocumentQueries
  outbox: OutboxQueries
  retention: Retention
}

/** How long stop() waits for the pool's connections to close after the backlog is settled. */
const POOL_END_TIMEOUT_MS = 5_000

/**
 * The storage contract, the notification outbox and tiered retention on
 * PostgreSQL. Results are partitioned by time and written with COPY; while the
 * server is unreachable they are buffered (memory, then spill files) and
 * replayed in order when it answers again, so the engine never sees a write
 * fail because of an outage.
 */
export class PostgresStorage implements StorageInstance, OutboxStore, RetentionStore {
  readonly #o: PostgresStorageOptions
  /** The URL as it may appear in messages and logs. */
  readonly #where: string
  #open: Open | undefined
  #starting: Promise<void> | undefined

  constructor(options: PostgresStorageOptions) {
    this.#o = options
    this.#where = redactUrl(options.url)
  }

  /** The schema holding this store's tables. */
  get schema(): string {
    return this.#o.schema
  }

  /** Results accepted during an outage and not written yet (0 and 0 while PostgreSQL answers). */
  get buffered(): { memory: number; spilled: number } {
    return this.#open?.backlog.size ?? { memory: 0, spilled: 0 }
  }

  start(): Promise<void> {
    if (this.#open !== undefined) return Promise.resolve()
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined
    })
    return this.#starting
  }

  async #start(): Promise<void> {
    const { url, schema, poolSize, logger } = this.#o
    const pool = createPool({ url, poolSize, logger })
    try {
      const applied = await migrate(pool, schema)
      const names = schemaNames(schema)
      const partitions = new Partitions(pool, names, schema, this.#o.partitionInterval)
      await partitions.load()
      await partitions.ensureAhead(Date.now(), this.#o.partitionsAhead)
      const retention = new Retention(pool, names, schema, partitions, {
        retention: this.#o.retention,
        partitionsAhead: this.#o.partitionsAhead,
        url,
        logger
      })
      const writer = new BatchWriter(pool, names, partitions, retention.fence)
      const backlog = new ResultBacklog({
        bufferLimit: this.#o.bufferLimit,
        batchSize: this.#o.batchSize,
        spillDir: this.#o.spillDir,
        spillPrefix: spillPrefix(url, schema),
        write: (batches) => writer.write(batches),
        describe: (err) => redactError(err, url),
        logger
      })
      this.#open = {
        pool,
        partitions,
        writer,
        backlog,
        monitors: new MonitorQueries(pool, names),
        results: new ResultQueries(pool, names),
        states: new StateQueries(pool, names),
        documents: new DocumentQueries(pool, names),
        outbox: new OutboxQueries(pool, names),
        retention
      }
      await backlog.recover()
      logger.debug({ url: this.#where, schema, migrated: applied }, 'postgres storage open')
    } catch (err) {
      this.#open = undefined
      await pool.end().catch(() => undefined)
      if (isVedetteError(err)) throw err
      throw new StartFailedError(this.#where, schema, redactSecrets((err as Error).message ?? String(err), url), { cause: err })
    }
  }

  /**
   * Replays what the outage left (bounded by `stopTimeoutMs`); what still
   * cannot be written goes to a spill file that the next start() replays.
   */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined)
    const open = this.#open
    if (open === undefined) return
    this.#open = undefined
    const { logger } = this.#o
    await open.retention.running?.catch(() => undefined)
    if (!open.backlog.empty && !(await open.backlog.drain(this.#o.stopTimeoutMs))) {
      const left = open.backlog.size
      const path = await open.backlog.close()
      logger.error({ path, results: left.memory + left.spilled }, 'postgres: still unreachable at stop; buffered results were written to a spill file and are replayed at the next start')
    }
    await open.backlog.close()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([open.pool.end(), new Promise((resolve) => (timer = setTimeout(resolve, POOL_END_TIMEOUT_MS)))]).catch(() => undefined)
    clearTimeout(timer)
  }

  async putMonitor(monitor: MonitorRecord): Promise<void> {
    assertMonitor(monitor)
    return this.#db((o) => o.monitors.put([monitor]))
  }

  async putMonitors(monitors: readonly MonitorRecord[]): Promise<void> {
    this.#running()
    monitors.forEach((m, i) => assertMonitor(m, `monitor #${i} of the batch`))
    if (monitors.length > 0) return this.#db((o) => o.monitors.put(monitors))
  }

  getMonitor(tenantId: string, id: string): Promise<MonitorRecord | undefined> {
    return this.#db((o) => o.monitors.get(tenantId, id))
  }

  listMonitors(tenantId: string, query?: PageQuery): Promise<Page<MonitorRecord>> {
    return this.#db((o) => o.monitors.list(tenantId, query))
  }

  deleteMonitor(tenantId: string, id: string): Promise<boolean> {
    return this.#db((o) => o.monitors.delete(tenantId, id, o.retention.tables))
  }

  /**
   * Durable when it resolves while PostgreSQL answers. While it does not (and
   * until the backlog from an outage is replayed) it resolves once the batch
   * is held: in memory up to `bufferLimit` results, beyond that fsynced to a
   * spill file. It rejects only for invalid results or errors the server
   * raises for the statement itself.
   */
  async writeResults(batch: readonly CheckResult[]): Promise<void> {
    const open = this.#running()
    batch.forEach((r, i) => {
      assertResult(r, `result #${i} of the batch`)
      assertStorable(r, `result #${i} of the batch`)
    })
    if (batch.length === 0) return
    const queued = { id: randomUUID(), results: batch as CheckResult[] }
    if (!open.backlog.empty) return this.#buffer(open, queued)
    try {
      await open.writer.write([queued])
    } catch (err) {
      if (!isConnectionError(err)) throw err
      this.#o.logger.warn({ err: redactError(err, this.#o.url), url: this.#where }, 'postgres: unreachable; buffering check results until it answers again')
      await this.#buffer(open, queued)
    }
  }

  queryResults(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>> {
    return this.#db((o) => o.results.page(tenantId, monitorId, query))
  }

  latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    return this.#db((o) => o.results.latest(tenantId, monitorIds))
  }

  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    timeBound(from, 'from', 0)
    timeBound(to, 'to', 0)
    return this.#db((o) => o.retention.uptime(o.results, tenantId, monitorId, from, to))
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    assertTransition(event)
    return this.#db((o) => o.states.record(event))
  }

  listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    return this.#db((o) => o.states.transitions(tenantId, monitorId, query))
  }

  monitorStates(tenantId: string): Promise<MonitorState[]> {
    return this.#db((o) => o.states.states(tenantId))
  }

  listIncidents(tenantId: string, query?: IncidentQuery): Promise<Page<Incident>> {
    return this.#db((o) => o.states.incidents(tenantId, query))
  }

  async putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    assertDocumentKey(tenantId, collection, id)
    return this.#db((o) => o.documents.put(tenantId, collection, id, doc))
  }

  /** Creates the document unless one exists under that key; false (and nothing changed) when it does. */
  async insertDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<boolean> {
    assertDocumentKey(tenantId, collection, id)
    return this.#db((o) => o.documents.insert(tenantId, collection, id, doc))
  }

  getDocument(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    return this.#db((o) => o.documents.get(tenantId, collection, id))
  }

  listDocuments(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    return this.#db((o) => o.documents.list(tenantId, collection, query))
  }

  deleteDocument(tenantId: string, collection: string, id: string): Promise<boolean> {
    return this.#db((o) => o.documents.delete(tenantId, collection, id))
  }

  enqueueOutbox(items: readonly NewOutboxItem[]): Promise<string[]> {
    return this.#db((o) => o.outbox.enqueue(items))
  }

  claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    return this.#db((o) => o.outbox.claim(owner, now, leaseMs, limit))
  }

  settleOutbox(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): Promise<boolean> {
    return this.#db((o) => o.outbox.settle(tenantId, id, owner, attempt, next))
  }

  getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | undefined> {
    return this.#db((o) => o.outbox.get(tenantId, id))
  }

  listOutbox(tenantId: string, query?: OutboxQuery): Promise<Page<OutboxItem>> {
    return this.#db((o) => o.outbox.list(tenantId, query))
  }

  maintain(now: number): Promise<RetentionReport> {
    timeBound(now, 'now', 0)
    return this.#db((o) => o.retention.maintain(now))
  }

  retentionPolicy(): RetentionPolicy {
    return { ...this.#o.retention }
  }

  async #buffer(open: Open, queued: { id: string; results: CheckResult[] }): Promise<void> {
    // The caller may reuse its objects once this resolves; the backlog keeps copies.
    await open.backlog.add({ id: queued.id, results: structuredClone(queued.results) })
    open.backlog.kick()
  }

  /** Runs a query; a lost or refused connection becomes VDT_ERR_POSTGRES_UNAVAILABLE (503). */
  async #db<T>(fn: (open: Open) => Promise<T>): Promise<T> {
    const open = this.#running()
    try {
      return await fn(open)
    } catch (err) {
      if (isConnectionError(err)) throw new UnavailableError(this.#where, redactSecrets((err as Error).message, this.#o.url), { cause: err })
      throw err
    }
  }

  #running(): Open {
    if (this.#open === undefined) throw new StorageNotStartedError(this.#o.name)
    return this.#open
  }
}
