import {
  assertOutboxItem,
  assertSettlement,
  claimRequest,
  decodeCursor,
  encodeCursor,
  isClaimable,
  matchesOutboxFilter,
  newOutboxItem,
  OUTBOX_CURSOR,
  outboxFilter,
  pageLimit
} from '@vedette/sdk'
import type { DeliveryAttempt, NewOutboxItem, OutboxItem, OutboxQuery, OutboxSettlement, Page } from '@vedette/sdk'
import { compareCodePoints } from './code-point.js'

/**
 * The notification outbox on Maps. Every method runs in one synchronous step,
 * which is what makes a claim atomic here: two concurrent `claimOutbox` calls
 * cannot interleave between choosing items and leasing them.
 */
export class MemoryOutbox {
  /** Items by tenant, then id. */
  readonly #tenants = new Map<string, Map<string, OutboxItem>>()

  enqueue(items: readonly NewOutboxItem[]): string[] {
    // Validate everything first: one malformed item stores none.
    items.forEach((item, i) => assertOutboxItem(item, `outbox item #${i}`))
    const stored: string[] = []
    for (const item of items) {
      let tenant = this.#tenants.get(item.tenantId)
      if (tenant === undefined) this.#tenants.set(item.tenantId, (tenant = new Map()))
      if (tenant.has(item.id)) continue
      tenant.set(item.id, newOutboxItem(item))
      stored.push(item.id)
    }
    return stored
  }

  claim(owner: string, now: number, leaseMs: number, limit: number): OutboxItem[] {
    const req = claimRequest(owner, now, leaseMs, limit)
    const due: OutboxItem[] = []
    for (const tenant of this.#tenants.values()) for (const item of tenant.values()) if (isClaimable(item, req.now)) due.push(item)
    due.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || compareCodePoints(a.tenantId, b.tenantId) || compareCodePoints(a.id, b.id))
    return due.slice(0, req.limit).map((item) => {
      item.leaseOwner = req.owner
      item.leaseUntil = req.now + req.leaseMs
      return structuredClone(item)
    })
  }

  settle(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): boolean {
    assertSettlement(attempt, next)
    const item = this.#tenants.get(tenantId)?.get(id)
    if (item === undefined || item.leaseOwner !== owner) return false
    item.attempts.push(structuredClone(attempt))
    item.state = next.state
    if (next.state === 'pending' && next.nextAttemptAt !== undefined) item.nextAttemptAt = next.nextAttemptAt
    delete item.leaseOwner
    delete item.leaseUntil
    return true
  }

  get(tenantId: string, id: string): OutboxItem | undefined {
    const item = this.#tenants.get(tenantId)?.get(id)
    return item === undefined ? undefined : structuredClone(item)
  }

  /** Newest createdAt first, ties by id descending; filtered and sorted per call (histories are small here). */
  list(tenantId: string, query?: OutboxQuery): Page<OutboxItem> {
    const filter = outboxFilter(query)
    const limit = pageLimit(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, OUTBOX_CURSOR, ['number', 'string'])
    const matches = [...(this.#tenants.get(tenantId)?.values() ?? [])]
      .filter((item) => matchesOutboxFilter(item, filter))
      .filter((item) => after === undefined || item.createdAt < after[0] || (item.createdAt === after[0] && compareCodePoints(item.id, after[1]) < 0))
      .sort((a, b) => b.createdAt - a.createdAt || compareCodePoints(b.id, a.id))
    const items = matches.slice(0, limit).map((item) => structuredClone(item))
    const last = items[items.length - 1]
    return matches.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(OUTBOX_CURSOR, [last.createdAt, last.id]) } : { items }
  }
}
