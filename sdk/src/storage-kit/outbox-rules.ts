import { InvalidStorageQueryError, InvalidStorageRecordError } from '../errors.js'
import type { DeliveryAttempt, NewOutboxItem, OutboxItem, OutboxQuery, OutboxSettlement, OutboxState } from '../outbox.js'
import { MAX_PAGE_LIMIT, timeBound } from './paging.js'

// The outbox rules every storage backend shares: validation at the edge (one
// malformed item must fail its own call with a precise message) and the
// predicates that say what a claim may take.

export const OUTBOX_STATES: readonly OutboxState[] = Object.freeze(['pending', 'delivered', 'dead'] as const)
const STATE_SET: ReadonlySet<string> = new Set(OUTBOX_STATES)

/** The cursor kind of `listOutbox` (position: createdAt, id). */
export const OUTBOX_CURSOR = 'outbox'

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Throws `VDT_ERR_STORAGE_INVALID_RECORD` naming `where` unless `item` can be enqueued. */
export function assertOutboxItem(item: unknown, where: string): asserts item is NewOutboxItem {
  const fail = (why: string): never => {
    throw new InvalidStorageRecordError(where, why)
  }
  if (!isPlainObject(item)) return fail('not an object')
  for (const key of ['tenantId', 'id', 'channelId'] as const) if (!isId(item[key])) fail(`${key} must be a non-empty string`)
  if (!Array.isArray(item.alertIds) || !item.alertIds.every(isId)) fail('alertIds must be an array of non-empty strings')
  if (!isPlainObject(item.notification)) fail('notification must be an object')
  if (!isTime(item.createdAt)) fail('createdAt must be finite epoch milliseconds')
  if (!isTime(item.nextAttemptAt)) fail('nextAttemptAt must be finite epoch milliseconds')
}

/** Throws `VDT_ERR_STORAGE_INVALID_RECORD` unless `attempt` and `next` can settle an item. */
export function assertSettlement(attempt: unknown, next: unknown): asserts attempt is DeliveryAttempt {
  const fail = (what: string, why: string): never => {
    throw new InvalidStorageRecordError(what, why)
  }
  if (!isPlainObject(attempt)) return fail('delivery attempt', 'not an object')
  if (!isTime(attempt.at)) fail('delivery attempt', 'at must be finite epoch milliseconds')
  if (typeof attempt.ok !== 'boolean') fail('delivery attempt', 'ok must be a boolean')
  if (!isTime(attempt.latencyMs) || attempt.latencyMs < 0) fail('delivery attempt', 'latencyMs must be a finite number >= 0')
  if (attempt.status !== undefined && typeof attempt.status !== 'number' && typeof attempt.status !== 'string') {
    fail('delivery attempt', 'status must be a number or a string')
  }
  for (const key of ['error', 'node'] as const) {
    if (attempt[key] !== undefined && typeof attempt[key] !== 'string') fail('delivery attempt', `${key} must be a string`)
  }
  if (!isPlainObject(next)) return fail('outbox settlement', 'not an object')
  if (typeof next.state !== 'string' || !STATE_SET.has(next.state)) fail('outbox settlement', `state must be one of ${OUTBOX_STATES.join(', ')}`)
  if (next.nextAttemptAt !== undefined && !isTime(next.nextAttemptAt)) fail('outbox settlement', 'nextAttemptAt must be finite epoch milliseconds')
}

/** A validated claim: `limit` capped at 1000. */
export interface ClaimRequest {
  owner: string
  now: number
  leaseMs: number
  limit: number
}

/** Validates `claimOutbox` arguments; throws `VDT_ERR_STORAGE_INVALID_QUERY` (400). */
export function claimRequest(owner: unknown, now: unknown, leaseMs: unknown, limit: unknown): ClaimRequest {
  if (!isId(owner)) throw new InvalidStorageQueryError('owner must be a non-empty string')
  if (!isTime(now)) throw new InvalidStorageQueryError(`now must be epoch milliseconds, got ${String(now)}`)
  for (const [name, v] of [['leaseMs', leaseMs], ['limit', limit]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new InvalidStorageQueryError(`${name} must be a positive integer, got ${String(v)}`)
  }
  return { owner, now, leaseMs: leaseMs as number, limit: Math.min(limit as number, MAX_PAGE_LIMIT) }
}

/** The validated filters of `listOutbox`; `from` / `to` as infinities when left out. */
export interface OutboxFilter {
  state: OutboxState | undefined
  channelId: string | undefined
  alertId: string | undefined
  from: number
  to: number
}

/** Validates the filters of an outbox listing; throws `VDT_ERR_STORAGE_INVALID_QUERY` (400). */
export function outboxFilter(query: OutboxQuery | undefined): OutboxFilter {
  const state = query?.state
  if (state !== undefined && (typeof state !== 'string' || !STATE_SET.has(state))) {
    throw new InvalidStorageQueryError(`state must be one of ${OUTBOX_STATES.join(', ')}, got ${String(state)}`)
  }
  for (const key of ['channelId', 'alertId'] as const) {
    if (query?.[key] !== undefined && typeof query[key] !== 'string') throw new InvalidStorageQueryError(`${key} must be a string`)
  }
  return {
    state,
    channelId: query?.channelId,
    alertId: query?.alertId,
    from: timeBound(query?.from, 'from', Number.NEGATIVE_INFINITY),
    to: timeBound(query?.to, 'to', Number.POSITIVE_INFINITY)
  }
}

/** True when an item passes the filter (for stores that filter in code). */
export function matchesOutboxFilter(item: OutboxItem, f: OutboxFilter): boolean {
  return (
    (f.state === undefined || item.state === f.state) &&
    (f.channelId === undefined || item.channelId === f.channelId) &&
    (f.alertId === undefined || item.alertIds.includes(f.alertId)) &&
    item.createdAt >= f.from &&
    item.createdAt < f.to
  )
}

/** True when a claim at `now` may lease the item: pending, due, and not leased (or the lease ran out). */
export function isClaimable(item: OutboxItem, now: number): boolean {
  return item.state === 'pending' && item.nextAttemptAt <= now && (item.leaseUntil === undefined || item.leaseUntil <= now)
}

/** A freshly enqueued item: pending, no attempts, no lease; a copy of `item`. */
export function newOutboxItem(item: NewOutboxItem): OutboxItem {
  const { tenantId, id, channelId, alertIds, notification, createdAt, nextAttemptAt } = structuredClone(item)
  return { tenantId, id, channelId, alertIds, notification, createdAt, nextAttemptAt, state: 'pending', attempts: [] }
}
