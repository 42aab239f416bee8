import type { CheckResult, CheckStatus, MonitorStatus } from './check-result.js'
import type { PluginContext } from './plugin-context.js'
import type { PluginHooks } from './hooks.js'
import type { StateChangeEvent } from './hooks.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kStoragePlugin } from './symbols.js'
import type { OutboxStore } from './outbox.js'
import type { ResultTier, RetentionStore } from './retention.js'

/** The tenant every record belongs to until multi-tenancy is switched on. */
export const DEFAULT_TENANT = 'default'

/** A monitor as stored: its identity plus the whole definition from config or API. */
export interface MonitorRecord {
  tenantId: string
  id: string
  name: string
  type: string
  enabled: boolean
  tags: string[]
  /** The monitor definition exactly as validated (interval/cron, timeout, config, ...). */
  definition: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

/** A closed or open period during which a monitor was not `up`. */
export interface Incident {
  id: string
  tenantId: string
  monitorId: string
  /** The worst status seen during the incident. */
  status: 'degraded' | 'down'
  reason: string
  startedAt: number
  endedAt?: number
}

/** A monitor's kept status, the way the state engine left it. */
export interface MonitorState {
  tenantId: string
  monitorId: string
  status: MonitorStatus
  since: number
  reason: string
}

/** A JSON document kept for the engine or a plugin (config versions, API keys, ...). */
export interface StoredDocument {
  id: string
  doc: Record<string, unknown>
  updatedAt: number
}

export interface DocumentQuery extends PageQuery {
  /** By id: `asc` by default. */
  order?: 'asc' | 'desc'
}

export interface Page<T> {
  items: T[]
  /** Pass back as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string
}

export interface PageQuery {
  limit?: number
  cursor?: string
}

export interface TimeRangeQuery extends PageQuery {
  /** Inclusive epoch ms. */
  from?: number
  /** Exclusive epoch ms. */
  to?: number
  /** `desc` (newest first) by default. */
  order?: 'asc' | 'desc'
}

export interface IncidentQuery extends PageQuery {
  monitorId?: string
  /** Only open (true) or only closed (false) incidents. */
  open?: boolean
}

export interface LatencySummary {
  min: number
  avg: number
  max: number
  p50: number
  p95: number
  p99: number
}

/**
 * Availability and latency of one monitor over `[from, to)`.
 *
 * Answered from raw results, `from` and `to` are the window asked for and every
 * figure is exact. Answered from rollups (`tier` is `minute`, `hour` or `day`),
 * `from` is rounded down to the start of that tier's bucket and `to` up to the
 * end of the bucket that holds it (so the figures cover whole buckets, and
 * `from` / `to` say which); counts, ratio and latency min / avg / max stay
 * exact, p50 / p95 / p99 are within `HISTOGRAM_RELATIVE_ERROR` of the exact
 * nearest-rank values.
 */
export interface UptimeSummary {
  /** Start of the window answered (inclusive epoch ms). */
  from: number
  /** End of the window answered (exclusive epoch ms). */
  to: number
  checks: number
  counts: Record<CheckStatus, number>
  /** (up + degraded) / (checks - unknown); null when there is nothing to judge. */
  ratio: number | null
  /** Over runs that were not `unknown`; null when there are none. */
  latency: LatencySummary | null
  /**
   * The tier the answer came from: the finest tier that still holds `from`
   * (`raw` for recent windows). Coarser tiers may fill the middle of a long
   * window and finer ones its newest part, which changes no figure: rollups of
   * the same results merge exactly. Left out means raw.
   */
  tier?: ResultTier
}

/**
 * The storage contract. Every call takes the tenant; a backend never returns
 * another tenant's records. `writeResults` receives batches from the engine's
 * write buffer and must be durable when its promise resolves. The
 * notification outbox (`OutboxStore`) is part of it.
 */
export interface Storage extends OutboxStore {
  putMonitor(monitor: MonitorRecord): Promise<void>
  /** Stores many monitors at once, all or none (a config with 100,000 monitors is stored in one go). */
  putMonitors(monitors: readonly MonitorRecord[]): Promise<void>
  getMonitor(tenantId: string, id: string): Promise<MonitorRecord | undefined>
  /** Ordered by id. */
  listMonitors(tenantId: string, query?: PageQuery): Promise<Page<MonitorRecord>>
  /** Removes the monitor, its results, transitions and incidents. */
  deleteMonitor(tenantId: string, id: string): Promise<boolean>

  writeResults(batch: readonly CheckResult[]): Promise<void>
  queryResults(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<CheckResult>>
  /** The newest result of each monitor (all of the tenant's when `monitorIds` is left out). */
  latestResults(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, CheckResult>>
  /** See `UptimeSummary` for how windows older than the raw retention are answered. */
  uptime(tenantId: string, monitorId: string, from: number, to: number): Promise<UptimeSummary>

  /** Stores a transition, updates the monitor's kept state, opens or closes its incident. */
  recordTransition(event: StateChangeEvent): Promise<void>
  listTransitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>>
  /** Kept states of all the tenant's monitors (for restarts and status lists). */
  monitorStates(tenantId: string): Promise<MonitorState[]>
  listIncidents(tenantId: string, query?: IncidentQuery): Promise<Page<Incident>>

  /** Small JSON documents by (tenant, collection, id): creates or replaces. */
  putDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void>
  /**
   * Creates the document only if `id` is new in (tenant, collection): true when
   * it was stored, false (and the existing document left unchanged) when the id
   * was taken. Atomic: of several concurrent inserts of one id exactly one
   * returns true, which makes it usable as a claim (idempotency keys, locks).
   */
  insertDocument(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<boolean>
  getDocument(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined>
  /** Ordered by id (code point order). */
  listDocuments(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>>
  deleteDocument(tenantId: string, collection: string, id: string): Promise<boolean>
}

/** A running storage backend: the contract plus lifecycle and tiered retention. */
export interface StorageInstance extends Storage, RetentionStore {
  /** Connect, migrate. */
  start(): Promise<void>
  /** Flush and close; nothing acknowledged may be lost. A running `maintain` is waited for. */
  stop(): Promise<void>
}

export interface StorageDefinition<C> {
  /** Validate config and build the instance; no I/O here, that belongs in `start`. */
  create(config: C, ctx: PluginContext): StorageInstance | Promise<StorageInstance>
  hooks?: PluginHooks
}

export interface StoragePlugin<C = unknown> extends StorageDefinition<C> {
  readonly [kStoragePlugin]: true
}

/** Declares a storage plugin. */
export function defineStorage<C>(definition: StorageDefinition<C>): StoragePlugin<C> {
  if (definition === null || typeof definition !== 'object' || typeof definition.create !== 'function') {
    throw new InvalidPluginDefinitionError('storage', '`create` must be a function')
  }
  return Object.freeze({ ...definition, [kStoragePlugin]: true as const })
}

export function isStoragePlugin(value: unknown): value is StoragePlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kStoragePlugin] === true
}
