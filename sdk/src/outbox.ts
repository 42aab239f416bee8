import type { Page, PageQuery } from './storage.js'

/** Where a notification is in its delivery: waiting (or retrying), delivered, or given up. */
export type OutboxState = 'pending' | 'delivered' | 'dead'

/** One try at handing a notification to its channel. */
export interface DeliveryAttempt {
  /** Epoch ms the attempt started. */
  at: number
  ok: boolean
  /** HTTP status or provider code when there was one. */
  status?: number | string
  /** Why it failed, for people (never a secret: notifiers describe, they do not echo). */
  error?: string
  latencyMs: number
  /** The node that made the attempt. */
  node?: string
}

/** A notification as the engine hands it to the outbox, before any attempt. */
export interface NewOutboxItem {
  tenantId: string
  /**
   * The idempotency key: one per (alert transition, channel). Enqueueing the same
   * id twice stores it once, which is what keeps a notification from ever being
   * sent twice, across restarts and nodes.
   */
  id: string
  channelId: string
  /** The alerts the notification is about (several for a grouped one), for filtering history. */
  alertIds: string[]
  /** The rendered notification, as the notifier plugin will receive it. */
  notification: Record<string, unknown>
  createdAt: number
  /** Earliest time of the first attempt (usually `createdAt`). */
  nextAttemptAt: number
}

/** A notification in the outbox: what was enqueued plus its delivery so far. */
export interface OutboxItem extends NewOutboxItem {
  state: OutboxState
  attempts: DeliveryAttempt[]
  /** The node holding the delivery lease, until `leaseUntil` (epoch ms). */
  leaseOwner?: string
  leaseUntil?: number
}

export interface OutboxQuery extends PageQuery {
  state?: OutboxState
  channelId?: string
  /** Items whose `alertIds` contain this id. */
  alertId?: string
  /** Inclusive / exclusive bounds on `createdAt`. */
  from?: number
  to?: number
}

/** What happens to a leased item after an attempt. */
export interface OutboxSettlement {
  state: OutboxState
  /** With `pending`: when to try again (left out: the item is due again at once). */
  nextAttemptAt?: number
}

/**
 * The durable notification outbox. Every notification is written here before it
 * is sent; senders lease due items, try them, and settle each attempt. Leases
 * are what make delivery safe with several nodes: an item is leased by one
 * node at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`), and a lease that
 * expires (the node died) makes the item due again for the others.
 */
export interface OutboxStore {
  /**
   * Stores the items whose id is new for their tenant, as `pending` with no
   * attempts; returns the ids it stored, in input order (duplicates, also
   * within one call, are ignored, not errors). All items are validated first:
   * one malformed item rejects the call and stores none.
   */
  enqueueOutbox(items: readonly NewOutboxItem[]): Promise<string[]>
  /**
   * Leases up to `limit` pending items of any tenant with `nextAttemptAt <= now`
   * whose lease is absent or expired (`leaseUntil <= now`), oldest `nextAttemptAt`
   * first (ties by tenant, then id), setting `leaseOwner = owner` and
   * `leaseUntil = now + leaseMs`; returns the leased items as stored. Two
   * concurrent callers never get the same item. `leaseMs` and `limit` must be
   * positive integers (`VDT_ERR_STORAGE_INVALID_QUERY`); limits above 1000 are capped.
   */
  claimOutbox(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]>
  /**
   * Appends `attempt`, moves the item to `next` and clears the lease, only if
   * `owner` still holds the lease; returns false (and changes nothing) otherwise.
   * A lease that ran out but was not claimed by anyone else is still held: the
   * attempt happened, and recording it is better than sending twice.
   */
  settleOutbox(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): Promise<boolean>
  getOutboxItem(tenantId: string, id: string): Promise<OutboxItem | undefined>
  /** Newest `createdAt` first, ties by id (descending, code point order); paged like every listing. */
  listOutbox(tenantId: string, query?: OutboxQuery): Promise<Page<OutboxItem>>
}
