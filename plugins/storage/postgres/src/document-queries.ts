import type pg from 'pg'
import { decodeCursor, encodeCursor, pageLimit } from '@vedette/sdk'
import type { DocumentQuery, Page, StoredDocument } from '@vedette/sdk'
import type { SchemaNames } from './schema-names.js'

type DocRow = [id: string, doc: Record<string, unknown>, updatedAt: number]

/** Small JSON documents keyed by (tenant, collection, id), stored as jsonb. */
export class DocumentQueries {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames

  constructor(pool: pg.Pool, names: SchemaNames) {
    this.#pool = pool
    this.#n = names
  }

  async put(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#n.documents} (tenant_id, collection, id, doc, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, collection, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
      [tenantId, collection, id, JSON.stringify(doc), Date.now()]
    )
  }

  /** Creates the document unless one exists; true when this call created it (safe across nodes). */
  async insert(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `INSERT INTO ${this.#n.documents} (tenant_id, collection, id, doc, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, collection, id) DO NOTHING`,
      [tenantId, collection, id, JSON.stringify(doc), Date.now()]
    )
    return rowCount === 1
  }

  async get(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    const { rows } = await this.#pool.query<DocRow>({
      text: `SELECT id, doc, updated_at FROM ${this.#n.documents} WHERE tenant_id = $1 AND collection = $2 AND id = $3`,
      values: [tenantId, collection, id],
      rowMode: 'array'
    })
    return rows[0] === undefined ? undefined : toDocument(rows[0])
  }

  async list(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>> {
    const order = query?.order === 'desc' ? 'desc' : 'asc'
    const limit = pageLimit(query)
    const kind = `documents:${order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['string'])[0]
    const { rows } = await this.#pool.query<DocRow>({
      text: `SELECT id, doc, updated_at FROM ${this.#n.documents} WHERE tenant_id = $1 AND collection = $2
             ${after === undefined ? '' : `AND id ${order === 'asc' ? '>' : '<'} $4`} ORDER BY id ${order.toUpperCase()} LIMIT $3`,
      values: after === undefined ? [tenantId, collection, limit + 1] : [tenantId, collection, limit + 1, after],
      rowMode: 'array'
    })
    const items = rows.slice(0, limit).map(toDocument)
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.id]) } : { items }
  }

  async delete(tenantId: string, collection: string, id: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(`DELETE FROM ${this.#n.documents} WHERE tenant_id = $1 AND collection = $2 AND id = $3`, [
      tenantId,
      collection,
      id
    ])
    return (rowCount ?? 0) > 0
  }
}

function toDocument([id, doc, updatedAt]: DocRow): StoredDocument {
  return { id, doc, updatedAt }
}
