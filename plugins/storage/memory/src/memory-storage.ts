import {
  assertDocumentKey,
  assertMonitor,
  assertResult,
  assertTransition,
  decodeCursor,
  encodeCursor,
  incidentAction,
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
  MonitorRecord,
  MonitorState,
  Page,
  PageQuery,
  StateChangeEvent,
  StorageInstance,
  StoredDocument,
  TimeRangeQuery,
  UptimeSummary
} from '@vedette/sdk'
import { compareCodePoints } from './code-point.js'
import { emptySeries, emptyTenant, type Series, type StoredIncident, type StoredResult, type TenantData } from './memory-series.js'
import { insertSorted, rangePage, timeWindow } from './sorted-range.js'

/**
 * The whole storage contract on plain Maps, for engine unit tests and
 * throwaway runs. Records are deep-copied on the way in and out so tests see
 * the same isolation a real database gives; everything is dropped on `stop()`.
 */
export class MemoryStorage implements StorageInstance {
  readonly #name: string
  #running = false
  #tenants = new Map<string, TenantData>()
  /** Documents by `tenant \0 collection`, then id. */
  #documents = new Map<string, Map<string, StoredDocument>>()
  /** Store-wide tiebreaker for equal times, and the source of incident ids. */
  #seq = 0

  constructor(name = '@vedette/storage-memory') {
    this.#name = name
  }

  async start(): Promise<void> {
    this.#running = true
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#tenants = new Map()
    this.#documents = new Map()
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
    const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
    const latencies: number[] = []
    const results = this.#series(tenantId, monitorId)?.results ?? []
    const [lo, hi] = timeWindow(results, from, to)
    for (let i = lo; i < hi; i++) {
      const r = (results[i] as StoredResult).result
      counts[r.status]++
      if (r.status !== 'unknown') latencies.push(r.latencyMs)
    }
    return uptimeSummary(from, to, counts, latencies)
  }

  async recordTransition(event: StateChangeEvent): Promise<void> {
    this.#assertRunning()
    assertTransition(event)
    const e = structuredClone(event)
    const series = this.#series(e.tenantId, e.monitorId, true)
    insertSorted(series.transitions, { time: e.at, seq: ++this.#seq, event: e })
    series.state = { tenantId: e.tenantId, monitorId: e.monitorId, status: e.to, since: e.at, reason: e.reason }

    const last = series.incidents[series.incidents.length - 1]
    const open = last !== undefined && last.incident.endedAt === undefined ? last.incident : undefined
    const action = incidentAction(open?.status, e.to)
    if (action.kind === 'open') {
      const seq = ++this.#seq
      const incident: Incident = { id: String(seq), tenantId: e.tenantId, monitorId: e.monitorId, status: action.status, reason: e.reason, startedAt: e.at }
      series.incidents.push({ seq, incident })
    } else if (action.kind === 'raise' && open !== undefined) {
      open.status = 'down'
      open.reason = e.reason
    } else if (action.kind === 'close' && open !== undefined) {
      open.endedAt = e.at
    }
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
    const limit = pageLimit(query)
    const { monitorId, open } = incidentFilter(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'incidents', ['number', 'number'])
    const tenant = this.#tenant(tenantId)
    if (tenant === undefined) return { items: [] }
    const pool: Series[] = monitorId === undefined ? [...tenant.series.values()] : [tenant.series.get(monitorId)].filter((s) => s !== undefined)
    // Newest first by (startedAt, seq); incidents are few, so filter and sort per call.
    const newerFirst = (a: StoredIncident, b: StoredIncident): number => b.incident.startedAt - a.incident.startedAt || b.seq - a.seq
    const matches = pool
      .flatMap((s) => s.incidents)
      .filter((x) => open === undefined || (x.incident.endedAt === undefined) === open)
      .filter((x) => after === undefined || x.incident.startedAt < after[0] || (x.incident.startedAt === after[0] && x.seq < after[1]))
      .sort(newerFirst)
    const page = matches.slice(0, limit)
    const items = page.map((x) => structuredClone(x.incident))
    const last = page[page.length - 1]
    return matches.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('incidents', [last.incident.startedAt, last.seq]) } : { items }
  }

  #assertRunning(): void {
    if (!this.#running) throw new StorageNotStartedError(this.#name)
  }

  async putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    this.#assertRunning()
    assertDocumentKey(tenantId, collection, id)
    const key = `${tenantId}\u0000${collection}`
    let docs = this.#documents.get(key)
    if (docs === undefined) this.#documents.set(key, (docs = new Map()))
    docs.set(id, { id, doc: structuredClone(doc), updatedAt: Date.now() })
  }

  async getDocument(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    this.#assertRunning()
    const found = this.#documents.get(`${tenantId}\u0000${collection}`)?.get(id)
    return found === undefined ? undefined : structuredClone(found)
  }

  async listDocuments(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    this.#assertRunning()
    const order = query?.order === 'desc' ? 'desc' : 'asc'
    const limit = pageLimit(query)
    const kind = `documents:${order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['string'])[0]
    const ids = [...(this.#documents.get(`${tenantId}\u0000${collection}`)?.keys() ?? [])].sort(compareCodePoints)
    if (order === 'desc') ids.reverse()
    const start = after === undefined ? 0 : ids.findIndex((id) => (order === 'asc' ? compareCodePoints(id, after) > 0 : compareCodePoints(id, after) < 0))
    const slice = start < 0 ? [] : ids.slice(start, start + limit + 1)
    const docs = this.#documents.get(`${tenantId}\u0000${collection}`)
    const items = slice.slice(0, limit).map((id) => structuredClone(docs?.get(id) as StoredDocument))
    const last = items[items.length - 1]
    return slice.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.id]) } : { items }
  }

  async deleteDocument(tenantId: string, collection: string, id: string): Promise<boolean> {
    this.#assertRunning()
    return this.#documents.get(`${tenantId}\u0000${collection}`)?.delete(id) ?? false
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
