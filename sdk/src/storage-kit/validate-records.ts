import { CHECK_STATUSES } from '../check-result.js'
import type { CheckResult, MonitorStatus } from '../check-result.js'
import type { StateChangeEvent } from '../hooks.js'
import type { IncidentQuery, MonitorRecord } from '../storage.js'
import { InvalidStorageQueryError, InvalidStorageRecordError } from '../errors.js'

// Cheap shape checks at the storage edge. The engine validates long before
// this, but one malformed record must fail its own call with a precise
// message, not corrupt a store or surface as a driver error mid-batch.

const MONITOR_STATUSES: ReadonlySet<string> = new Set<MonitorStatus>(['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'])
const CHECK_STATUS_SET: ReadonlySet<string> = new Set(CHECK_STATUSES)

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * Throws `VDT_ERR_STORAGE_INVALID_RECORD` when `r` cannot be stored; `where`
 * names it in the message.
 *
 * @example
 * batch.forEach((r, i) => assertResult(r, `result #${i} of the batch`))
 */
export function assertResult(r: unknown, where: string): asserts r is CheckResult {
  const fail = (why: string): never => {
    throw new InvalidStorageRecordError(where, why)
  }
  if (!isPlainObject(r)) return fail('not an object')
  if (!isId(r.tenantId)) fail('tenantId must be a non-empty string')
  if (!isId(r.monitorId)) fail('monitorId must be a non-empty string')
  if (!isTime(r.startedAt)) fail('startedAt must be finite epoch milliseconds')
  if (typeof r.status !== 'string' || !CHECK_STATUS_SET.has(r.status)) fail(`status must be one of ${CHECK_STATUSES.join(', ')}`)
  if (!isTime(r.latencyMs) || r.latencyMs < 0) fail('latencyMs must be a finite number >= 0')
  if (r.message !== undefined && typeof r.message !== 'string') fail('message must be a string')
  if (r.reason !== undefined && typeof r.reason !== 'string') fail('reason must be a string')
  if (r.phases !== undefined) {
    if (!isPlainObject(r.phases)) fail('phases must be an object')
    const phases = r.phases as Record<string, unknown>
    for (const name in phases) {
      const v = phases[name]
      if (v !== undefined && !isTime(v)) fail(`phase ${name} must be a finite number`)
    }
  }
  if (r.metrics !== undefined && !Array.isArray(r.metrics)) fail('metrics must be an array')
  if (r.observations !== undefined && !isPlainObject(r.observations)) fail('observations must be an object')
}

/** Throws `VDT_ERR_STORAGE_INVALID_RECORD` when `m` is not a storable monitor record. */
export function assertMonitor(m: unknown, what = 'monitor record'): asserts m is MonitorRecord {
  const fail = (why: string): never => {
    throw new InvalidStorageRecordError(what, why)
  }
  if (!isPlainObject(m)) return fail('not an object')
  if (!isId(m.tenantId)) fail('tenantId must be a non-empty string')
  if (!isId(m.id)) fail('id must be a non-empty string')
  if (typeof m.name !== 'string' || typeof m.type !== 'string') fail('name and type must be strings')
  if (typeof m.enabled !== 'boolean') fail('enabled must be a boolean')
  if (!Array.isArray(m.tags) || !m.tags.every((x) => typeof x === 'string')) fail('tags must be an array of strings')
  if (!isPlainObject(m.definition)) fail('definition must be an object')
  if (!isTime(m.createdAt) || !isTime(m.updatedAt)) fail('createdAt and updatedAt must be epoch milliseconds')
}

/** Throws `VDT_ERR_STORAGE_INVALID_RECORD` when `e` is not a storable state change. */
export function assertTransition(e: unknown): asserts e is StateChangeEvent {
  const fail = (why: string): never => {
    throw new InvalidStorageRecordError('state change', why)
  }
  if (!isPlainObject(e)) return fail('not an object')
  if (!isId(e.tenantId)) fail('tenantId must be a non-empty string')
  if (!isId(e.monitorId)) fail('monitorId must be a non-empty string')
  for (const key of ['from', 'to'] as const) {
    if (typeof e[key] !== 'string' || !MONITOR_STATUSES.has(e[key])) fail(`${key} must be one of ${[...MONITOR_STATUSES].join(', ')}`)
  }
  if (typeof e.reason !== 'string') fail('reason must be a string')
  if (!isTime(e.at)) fail('at must be finite epoch milliseconds')
}

/** The incident filters, validated (`monitorId` and `open` are optional); throws `VDT_ERR_STORAGE_INVALID_QUERY`. */
export function incidentFilter(query: IncidentQuery | undefined): { monitorId: string | undefined; open: boolean | undefined } {
  const monitorId = query?.monitorId
  const open = query?.open
  if (monitorId !== undefined && typeof monitorId !== 'string') throw new InvalidStorageQueryError('monitorId must be a string')
  if (open !== undefined && typeof open !== 'boolean') throw new InvalidStorageQueryError('open must be a boolean')
  return { monitorId, open }
}

/** Documents are keyed by three non-empty strings; anything else is a caller bug. */
export function assertDocumentKey(tenantId: unknown, collection: unknown, id: unknown): void {
  for (const [name, value] of [['tenantId', tenantId], ['collection', collection], ['id', id]] as const) {
    if (typeof value !== 'string' || value === '') throw new InvalidStorageRecordError('document', `${name} must be a non-empty string`)
  }
}
