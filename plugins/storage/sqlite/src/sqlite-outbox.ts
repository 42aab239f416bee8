import type { Database } from 'better-sqlite3'
import {
  assertOutboxItem,
  assertSettlement,
  claimRequest,
  decodeCursor,
  encodeCursor,
  OUTBOX_CURSOR,
  outboxFilter,
  pageLimit
} from '@vedette/sdk'
import type { DeliveryAttempt, NewOutboxItem, OutboxItem, OutboxQuery, OutboxSettlement, OutboxState, Page } from '@vedette/sdk'
import type { Stmt } from './statements.js'

type OutboxRow = [
  tenantId: string,
  id: string,
  channelId: string,
  alertIds: string,
  notification: string,
  createdAt: number,
  nextAttemptAt: number,
  state: string,
  attempts: string,
  leaseOwner: string | null,
  leaseUntil: number | null
]
type InsertParams = [string, string, string, string, string, number, number]
type SettleParams = [attempt: string, state: string, nextAttemptAt: number | null, tenantId: string, id: string, owner: string]

const COLUMNS = 'tenant_id, id, channel_id, alert_ids, notification, created_at, next_attempt_at, state, attempts, lease_owner, lease_until'

/**
 * The `outbox` table. A claim runs as one `BEGIN IMMEDIATE` transaction: the
 * write lock is taken before the due items are read, so two connections (two
 * engine processes on one file) cannot lease the same item; in one process
 * better-sqlite3 runs each call to completion anyway.
 */
export class SqliteOutbox {
  readonly #db: Database
  readonly #insert: Stmt<InsertParams>
  readonly #get: Stmt<[string, string], OutboxRow>
  readonly #settle: Stmt<SettleParams>
  readonly #enqueue: (items: readonly NewOutboxItem[]) => string[]
  readonly #claim: { immediate: (owner: string, now: number, leaseMs: number, limit: number) => OutboxItem[] }
  /** One listing statement per combination of filters, prepared on first use. */
  readonly #lists = new Map<string, Stmt<unknown[], OutboxRow>>()

  constructor(db: Database) {
    this.#db = db
    this.#insert = db.prepare<InsertParams>(
      `INSERT INTO outbox (tenant_id, id, channel_id, alert_ids, notification, created_at, next_attempt_at, state, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', '[]') ON CONFLICT DO NOTHING`
    )
    this.#get = db.prepare<[string, string], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE tenant_id = ? AND id = ?`).raw(true)
    // Only the lease owner settles: the WHERE clause is the check, so it cannot race a claim.
    this.#settle = db.prepare<SettleParams>(
      `UPDATE outbox SET attempts = json_insert(attempts, '$[#]', json(?)), state = ?, next_attempt_at = coalesce(?, next_attempt_at),
         lease_owner = NULL, lease_until = NULL
       WHERE tenant_id = ? AND id = ? AND lease_owner = ?`
    )
    const due = db
      .prepare<[number, number, number], [string, string]>(
        `SELECT tenant_id, id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY next_attempt_at, tenant_id, id LIMIT ?`
      )
      .raw(true)
    const lease = db.prepare<[string, number, string, string]>('UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE tenant_id = ? AND id = ?')
    this.#enqueue = db.transaction((items: readonly NewOutboxItem[]) => {
      const stored: string[] = []
      for (const x of items) {
        const params: InsertParams = [x.tenantId, x.id, x.channelId, JSON.stringify(x.alertIds), JSON.stringify(x.notification), x.createdAt, x.nextAttemptAt]
        if (this.#insert.run(...params).changes > 0) stored.push(x.id)
      }
      return stored
    })
    this.#claim = db.transaction((owner: string, now: number, leaseMs: number, limit: number) =>
      due.all(now, now, limit).map(([tenantId, id]) => {
        lease.run(owner, now + leaseMs, tenantId, id)
        return toItem(this.#get.get(tenantId, id) as OutboxRow)
      })
    )
  }

  enqueue(items: readonly NewOutboxItem[]): string[] {
    items.forEach((item, i) => assertOutboxItem(item, `outbox item #${i}`))
    return items.length === 0 ? [] : this.#enqueue(items)
  }

  claim(owner: string, now: number, leaseMs: number, limit: number): OutboxItem[] {
    const req = claimRequest(owner, now, leaseMs, limit)
    return this.#claim.immediate(req.owner, req.now, req.leaseMs, req.limit)
  }

  settle(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): boolean {
    assertSettlement(attempt, next)
    const nextAttemptAt = next.state === 'pending' ? (next.nextAttemptAt ?? null) : null
    return this.#settle.run(JSON.stringify(attempt), next.state, nextAttemptAt, tenantId, id, owner).changes > 0
  }

  get(tenantId: string, id: string): OutboxItem | undefined {
    const row = this.#get.get(tenantId, id)
    return row === undefined ? undefined : toItem(row)
  }

  list(tenantId: string, query?: OutboxQuery): Page<OutboxItem> {
    const f = outboxFilter(query)
    const limit = pageLimit(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, OUTBOX_CURSOR, ['number', 'string'])
    const where = ['tenant_id = ?']
    const params: unknown[] = [tenantId]
    const add = (sql: string, ...values: unknown[]): void => {
      where.push(sql)
      params.push(...values)
    }
    if (f.state !== undefined) add('state = ?', f.state)
    if (f.channelId !== undefined) add('channel_id = ?', f.channelId)
    if (f.alertId !== undefined) add('EXISTS (SELECT 1 FROM json_each(alert_ids) WHERE value = ?)', f.alertId)
    if (Number.isFinite(f.from)) add('created_at >= ?', f.from)
    if (Number.isFinite(f.to)) add('created_at < ?', f.to)
    if (after !== undefined) add('(created_at < ? OR (created_at = ? AND id < ?))', after[0], after[0], after[1])
    const sql = `SELECT ${COLUMNS} FROM outbox WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`
    let stmt = this.#lists.get(sql)
    if (stmt === undefined) this.#lists.set(sql, (stmt = this.#db.prepare<unknown[], OutboxRow>(sql).raw(true)))
    const rows = stmt.all(...params, limit + 1)
    const items = rows.slice(0, limit).map(toItem)
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(OUTBOX_CURSOR, [last.createdAt, last.id]) } : { items }
  }
}

function toItem(row: OutboxRow): OutboxItem {
  const [tenantId, id, channelId, alertIds, notification, createdAt, nextAttemptAt, state, attempts, leaseOwner, leaseUntil] = row
  const item: OutboxItem = {
    tenantId,
    id,
    channelId,
    alertIds: JSON.parse(alertIds) as string[],
    notification: JSON.parse(notification) as Record<string, unknown>,
    createdAt,
    nextAttemptAt,
    state: state as OutboxState,
    attempts: JSON.parse(attempts) as DeliveryAttempt[]
  }
  if (leaseOwner !== null) item.leaseOwner = leaseOwner
  if (leaseUntil !== null) item.leaseUntil = leaseUntil
  return item
}
