import {
  assertMaintenanceTime,
  assertMonitor,
  assertResult,
  assertTransition,
  decodeCursor,
  DEFAULT_RETENTION_POLICY,
  encodeCursor,
  pageLimit,
  StorageNotStartedError,
  timeBound,
  timeRange
} from '@vedette/sdk'
import type {
  CheckResult,
  DeliveryAttempt,
  DocumentQuery,
  Incident,
  IncidentQuery,
  MonitorRecord,
  MonitorState,
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
import { compareCodePoints } from './code-point.js'
import { MemoryDocuments } from './memory-documents.js'
import { MemoryOutbox } from './memory-outbox.js'
import { MemoryRetention } from './memory-retention.js'
import { emptySeries, emptyTenant, type Series, type StoredResult, type TenantData } from './memory-series.js'
import { applyIncidentChange, incidentPage } from './memory-incidents.js'
import { insertSorted, rangePage } from './sorted-range.js'

/**
 * The whole storage contract on plain Maps, for engine unit tests and
 * throwaway runs. Records are deep-copied on the way in and out so tests see
 * the same isolation a real database gives; everything is dropped on `stop()`.
 */
export class MemoryStorage implements StorageInstance {
  readonly #name: string
  #running = false
  #tenants = new Map<string, TenantData>()
  #documents = new MemoryDocuments()
  #outbox = new MemoryOutbox()
  readonly #retention: MemoryRetention
  /** Store-wide tiebreaker for equal times, and the source of incident ids. */
  #seq = 0

  /** `retention` is the resolved policy (`parseRetentionConfig`); the defaults when left out. */
  constructor(name = '@vedette/storage-memory', retention: RetentionPolicy = DEFAULT_RETENTION_POLICY) {
    this.#name = name
    this.#retention = new MemoryRetention({ ...retention })
  }

  async start(): Promise<void> {
    this.#running = true
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#tenants = new Map()
    this.#documents = new MemoryDocuments()
    this.#outbox = new MemoryOutbox()
    this.#retention.reset()
  }

  async putMonitor(monitor: MonitorRecord): Promise<void> {
    this.#assertRunning()
    assertMonitor(monitor)
    const tenant = this.#tenant(monitor.tenantId, true)
    if (!tenant.monitors.has(monitor.id)) tenant.sortedIds = undefined
    tenant.monitors.set(monitor.id, structuredClone(monitor))
  }

  async putMonitors(monitors: readonly MonitorRecord[]): Promise<void> {
    this.#assertRunning()
    monitors.forEach((m, i) => assertMonitor(m, `monitor #${i} of the batch`))
    for (const m of monitors) await this.putMonitor(m)
  }

  async getMonitor(tenantId: string, id: string): Promise<MonitorRecord | undefined> {
    this.#assertRunning()
    const record = this.#tenant(tenantId)?.monitors.get(id)
    return record === undefined ? undefined : structuredClone(record)
  }

  async listMonitors(tenantId: string, query?: PageQuery): Promise<Page<MonitorRecord>> {
    this.#assertRunning()
    const limit = pageLimit(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'monitors', ['string'])[0]
    const tenant = this.#tenant(tenantId)
    if (tenant === undefined) return { items: [] }
    tenant.sortedIds ??= [...tenant.monitors.keys()].sort(compareCodePoints)
    const ids = tenant.sortedIds
    let start = 0
    if (after !== undefined) {
      // Binary search for the first id past the cursor; the cursor's own id may be deleted since.
      let hi = ids.length
      while (start < hi) {
        const mid = (start + hi) >>> 1
        if (compareCodePoints(ids[mid] as string, after) <= 0) start = mid + 1
        else hi = mid
      }
    }
    const pageIds = ids.slice(start, start + limit)
    const items = pageIds.map((id) => structuredClone(tenant.monitors.get(id) as MonitorRecord))
    const last = pageIds[pageIds.length - 1]
    return start + limit < ids.length && last !== undefined ? { items, nextCursor: encodeCursor('monitors', [last]) } : { items }
  }

  async deleteMonitor(tenantId: string, id: string): Promise<boolean> {
    this.#assertRunning()
    const tenant = this.#tenant(tenantId)
    if (tenant === undefined) return false
    const hadRecord = tenant.monitors.delete(id)
    if (hadRecord) tenant.sortedIds = undefined
    const hadData = tenant.series.delete(id)
    return hadRecord || hadData
  }

  async writeResults(batch: readonly CheckResult[]): Promise<void> {
    this.#assertRunning()
    // Validate the whole batch before touching anything: all or nothing.
    batch.forEach((r, i) => assertResult(r, `result #${i} of the batch`))
    for (const r of batch) {
      const series = this.#series(r.tenantId, r.monitorId, true)
      const stored: StoredResult = { time: r.startedAt, seq: ++this.#seq, result: structuredClone(r) }
      insertSorted(series.results, stored)
      const latest = series.latest
      if (latest === undefined || latest.time <= stored.time) series.latest = stored
      this.#retention.noteWrite(r.startedAt)
    }
  }

  async queryResults(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>> {
    this.#assertRunning()
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `results:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const series = this.#series(tenantId, monitorId)
    if (series === undefined) return { items: [] }
    const { page, more } = rangePage(series.results, range, limit, after)
    const items = page.map((s) => structuredClone(s.result))
    const last = page[page.length - 1]
    return more && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.time, last.seq]) } : { items }
  }

  async latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>> {
    this.#assertRunning()
    const out = new Map<string, CheckResult>()
    const tenant = this.#tenant(tenantId)
    if (tenant === undefined) return out
    for (const id of monitorIds ?? tenant.series.keys()) {
      const latest = tenant.series.get(id)?.latest
      if (latest !== undefined) out.set(id, structuredClone(latest.result))
    }
    return out
  }

  async uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary> {
    this.#assertRunning()
    timeBound(from, 'from', 0)
    timeBound(to, 'to', 0)
    return this.#retention.uptime(this.#series(tenantId, monitorId), from, to)
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    this.#assertRunning()
    assertTransition(event)
    const e = structuredClone(event)
    const series = this.#series(e.tenantId, e.monitorId, true)
    insertSorted(series.transitions, { time: e.at, seq: ++this.#seq, event: e })
    series.state = { tenantId: e.tenantId, monitorId: e.monitorId, status: e.to, since: e.at, reason: e.reason }

    applyIncidentChange(series, e, () => ++this.#seq)
  }

  async listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    this.#assertRunning()
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `transitions:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const series = this.#series(tenantId, monitorId)
    if (series === undefined) return { items: [] }
    const { page, more } = rangePage(series.transitions, range, limit, after)
    const items = page.map((s) => structuredClone(s.event))
    const last = page[page.length - 1]
    return more && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.time, last.seq]) } : { items }
  }

  async monitorStates(tenantId: string): Promise<MonitorState[]> {
    this.#assertRunning()
    const states: MonitorState[] = []
    for (const series of this.#tenant(tenantId)?.series.values() ?? []) {
      if (series.state !== undefined) states.push({ ...series.state })
    }
    return states.sort((a, b) => compareCodePoints(a.monitorId, b.monitorId))
  }

  async listIncidents(tenantId: string, query?: IncidentQuery): Promise<Page<Incident>> {
    this.#assertRunning()
    return incidentPage(this.#tenant(tenantId), query)
  }

  #assertRunning(): void {
    if (!this.#running) throw new StorageNotStartedError(this.#name)
  }

  async putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    this.#assertRunning()
    this.#documents.put(tenantId, collection, id, doc)
  }

  async insertDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<boolean> {
    this.#assertRunning()
    return this.#documents.insert(tenantId, collection, id, doc)
  }

  async getDocument(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    this.#assertRunning()
    return this.#documents.get(tenantId, collection, id)
  }

  async listDocuments(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    this.#assertRunning()
    return this.#documents.list(tenantId, collection, query)
  }

  async deleteDocument(tenantId: string, collection: string, id: string): Promise<boolean> {
    this.#assertRunning()
    return this.#documents.delete(tenantId, collection, id)
  }

  async enqueueOutbox(items: readonly NewOutboxItem[]): Promise<string[]> {
    this.#assertRunning()
    return this.#outbox.enqueue(items)
  }

  async claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    this.#assertRunning()
    return this.#outbox.claim(owner, now, leaseMs, limit)
  }

  async settleOutbox(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): Promise<boolean> {
    this.#assertRunning()
    return this.#outbox.settle(tenantId, id, owner, attempt, next)
  }

  async getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | undefined> {
    this.#assertRunning()
    return this.#outbox.get(tenantId, id)
  }

  async listOutbox(tenantId: string, query?: OutboxQuery): Promise<Page<OutboxItem>> {
    this.#assertRunning()
    return this.#outbox.list(tenantId, query)
  }

  async maintain(now: number): Promise<RetentionReport> {
    this.#assertRunning()
    assertMaintenanceTime(now)
    const all = [...this.#tenants.values()].flatMap((tenant) => [...tenant.series.values()])
    return this.#retention.maintain(now, all)
  }

  retentionPolicy(): RetentionPolicy {
    return { ...this.#retention.policy }
  }

  #tenant(tenantId: string, create: true): TenantData
  #tenant(tenantId: string, create?: false): TenantData | undefined
  #tenant(tenantId: string, create = false): TenantData | undefined {
    let tenant = this.#tenants.get(tenantId)
    if (tenant === undefined && create) this.#tenants.set(tenantId, (tenant = emptyTenant()))
    return tenant
  }

  #series(tenantId: string, monitorId: string, create: true): Series
  #series(tenantId: string, monitorId: string, create?: false): Series | undefined
  #series(tenantId: string, monitorId: string, create = false): Series | undefined {
    const tenant = create ? this.#tenant(tenantId, true) : this.#tenant(tenantId)
    let series = tenant?.series.get(monitorId)
    if (series === undefined && create && tenant !== undefined) tenant.series.set(monitorId, (series = emptySeries()))
    return series
  }
}
