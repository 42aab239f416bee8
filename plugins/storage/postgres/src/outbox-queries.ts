import type pg from 'pg'
import { InvalidStorageRecordError, assertOutboxItem, assertSettlement, claimRequest, decodeCursor, encodeCursor, OUTBOX_CURSOR, outboxFilter, pageLimit } from '@vedette/sdk'
import type { DeliveryAttempt, NewOutboxItem, OutboxItem, OutboxQuery, OutboxSettlement, OutboxState, Page } from '@vedette/sdk'
import type { SchemaNames } from './schema-names.js'
import { rangeCondition } from './sql-paging.js'

const COLUMNS = 'tenant_id, id, channel_id, alert_ids, notification, created_at, next_attempt_at, state, attempts, lease_owner, lease_until'
type OutboxRow = [
  tenantId: string,
  id: string,
  channelId: string,
  alertIds: string[],
  notification: Record<string, unknown>,
  createdAt: number,
  nextAttemptAt: number,
  state: OutboxState,
  attempts: DeliveryAttempt[],
  leaseOwner: string | null,
  leaseUntil: number | null
]

/** The durable notification outbox (see OutboxStore in @vedette/sdk). */
export class OutboxQueries {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames

  constructor(pool: pg.Pool, names: SchemaNames) {
    this.#pool = pool
    this.#n = names
  }

  /** One statement for the whole list: ids already present (in the table or earlier in the list) are skipped. */
  async enqueue(items: readonly NewOutboxItem[]): Promise<string[]> {
    items.forEach((x, i) => {
      assertOutboxItem(x, `outbox item #${i}`)
      // Times are bigint columns here.
      for (const key of ['createdAt', 'nextAttemptAt'] as const) {
        if (!Number.isSafeInteger(x[key])) throw new InvalidStorageRecordError(`outbox item #${i}`, `${key} must be integer epoch milliseconds`)
      }
    })
    if (items.length === 0) return []
    const { rows } = await this.#pool.query<{ tenant_id: string; id: string }>(
      `INSERT INTO ${this.#n.outbox} (tenant_id, id, channel_id, alert_ids, notification, created_at, next_attempt_at)
       SELECT t, i, c, ARRAY(SELECT x FROM jsonb_array_elements_text(a) WITH ORDINALITY AS e(x, o) ORDER BY o), n, ca, na
       FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::json[], $6::bigint[], $7::bigint[]) AS u(t, i, c, a, n, ca, na)
       ON CONFLICT (tenant_id, id) DO NOTHING
       RETURNING tenant_id, id`,
      [
        items.map((x) => x.tenantId),
        items.map((x) => x.id),
        items.map((x) => x.channelId),
        items.map((x) => JSON.stringify(x.alertIds)),
        items.map((x) => JSON.stringify(x.notification)),
        items.map((x) => x.createdAt),
        items.map((x) => x.nextAttemptAt)
      ]
    )
    // RETURNING order is not the input order; answer in the caller's order.
    const stored = new Set(rows.map((r) => JSON.stringify([r.tenant_id, r.id])))
    const out: string[] = []
    for (const x of items) {
      const key = JSON.stringify([x.tenantId, x.id])
      if (stored.delete(key)) out.push(x.id)
    }
    return out
  }

  /**
   * Leases due items. FOR UPDATE SKIP LOCKED makes concurrent claimers pass
   * over rows another transaction is leasing instead of waiting for them and
   * then taking them too: each item goes to exactly one claimer.
   */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxItem[]> {
    const req = claimRequest(owner, now, leaseMs, limit)
    const { rows } = await this.#pool.query<OutboxRow>({
      text: `WITH due AS (
               SELECT tenant_id, id FROM ${this.#n.outbox}
               WHERE state = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
               ORDER BY next_attempt_at, tenant_id, id
               LIMIT $4
               FOR UPDATE SKIP LOCKED)
             UPDATE ${this.#n.outbox} o SET lease_owner = $1, lease_until = $3
             FROM due WHERE o.tenant_id = due.tenant_id AND o.id = due.id
             RETURNING ${COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}`,
      // Times are whole milliseconds in the table; a fractional now is the same instant rounded down.
      values: [req.owner, Math.floor(req.now), Math.floor(req.now) + req.leaseMs, req.limit],
      rowMode: 'array'
    })
    return rows.map(toItem).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || compare(a.tenantId, b.tenantId) || compare(a.id, b.id))
  }

  /** Records the attempt and the next state, only while `owner` holds the lease. */
  async settle(tenantId: string, id: string, owner: string, attempt: DeliveryAttempt, next: OutboxSettlement): Promise<boolean> {
    assertSettlement(attempt, next)
    const { rowCount } = await this.#pool.query(
      `UPDATE ${this.#n.outbox}
       SET attempts = attempts || jsonb_build_array($4::jsonb), state = $5, next_attempt_at = coalesce($6, next_attempt_at),
           lease_owner = NULL, lease_until = NULL
       WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3`,
      [tenantId, id, owner, JSON.stringify(attempt), next.state, next.nextAttemptAt === undefined ? null : Math.ceil(next.nextAttemptAt)]
    )
    return rowCount === 1
  }

  async get(tenantId: string, id: string): Promise<OutboxItem | undefined> {
    const { rows } = await this.#pool.query<OutboxRow>({
      text: `SELECT ${COLUMNS} FROM ${this.#n.outbox} WHERE tenant_id = $1 AND id = $2`,
      values: [tenantId, id],
      rowMode: 'array'
    })
    return rows[0] === undefined ? undefined : toItem(rows[0])
  }

  /** Newest `createdAt` first, ties by id (descending, like every newest-first listing here). */
  async list(tenantId: string, query?: OutboxQuery): Promise<Page<OutboxItem>> {
    const limit = pageLimit(query)
    const f = outboxFilter(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, OUTBOX_CURSOR, ['number', 'string'])
    const params: unknown[] = [tenantId, limit + 1]
    let sql = `SELECT ${COLUMNS} FROM ${this.#n.outbox} WHERE tenant_id = $1`
    const bounds = rangeCondition('created_at', f, 3)
    sql += bounds.sql
    params.push(...bounds.params)
    if (f.state !== undefined) sql += ` AND state = $${params.push(f.state)}`
    if (f.channelId !== undefined) sql += ` AND channel_id = $${params.push(f.channelId)}`
    if (f.alertId !== undefined) sql += ` AND alert_ids @> ARRAY[$${params.push(f.alertId)}::text]`
    if (after !== undefined) sql += ` AND (created_at, id) < ($${params.push(after[0])}, $${params.push(after[1])})`
    sql += ' ORDER BY created_at DESC, id DESC LIMIT $2'
    const { rows } = await this.#pool.query<OutboxRow>({ text: sql, values: params, rowMode: 'array' })
    const items = rows.slice(0, limit).map(toItem)
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(OUTBOX_CURSOR, [last.createdAt, last.id]) } : { items }
  }
}

function toItem([tenantId, id, channelId, alertIds, notification, createdAt, nextAttemptAt, state, attempts, leaseOwner, leaseUntil]: OutboxRow): OutboxItem {
  const item: OutboxItem = { tenantId, id, channelId, alertIds, notification, createdAt, nextAttemptAt, state, attempts }
  if (leaseOwner !== null) item.leaseOwner = leaseOwner
  if (leaseUntil !== null) item.leaseUntil = leaseUntil
  return item
}

/** Code point order, as the database's "C" collation sorts ids. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
