import type { Database, Statement } from 'better-sqlite3'
import { decodeCursor, encodeCursor, pageLimit } from '@vedette/sdk'
import type { DocumentQuery, Page, StoredDocument } from '@vedette/sdk'

type DocRow = [id: string, doc: string, updatedAt: number]

/** The documents table: small JSON records keyed by (tenant, collection, id). */
export class SqliteDocuments {
  readonly #put: Statement<[string, string, string, string, number]>
  readonly #insert: Statement<[string, string, string, string, number]>
  readonly #get: Statement<[string, string, string], DocRow>
  readonly #delete: Statement<[string, string, string]>
  readonly #pages: Record<'asc' | 'desc', { first: Statement<[string, string, number], DocRow>; after: Statement<[string, string, string, number], DocRow> }>

  constructor(db: Database) {
    this.#put = db.prepare(
      'INSERT INTO documents (tenant_id, collection, id, doc, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, collection, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at'
    )
    // DO NOTHING on a taken id: one statement, so concurrent inserts cannot both win.
    this.#insert = db.prepare('INSERT INTO documents (tenant_id, collection, id, doc, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
    this.#get = db.prepare<[string, string, string], DocRow>('SELECT id, doc, updated_at FROM documents WHERE tenant_id = ? AND collection = ? AND id = ?').raw()
    this.#delete = db.prepare('DELETE FROM documents WHERE tenant_id = ? AND collection = ? AND id = ?')
    const page = (order: 'asc' | 'desc') => ({
      first: db.prepare<[string, string, number], DocRow>(`SELECT id, doc, updated_at FROM documents WHERE tenant_id = ? AND collection = ? ORDER BY id ${order} LIMIT ?`).raw(),
      after: db
        .prepare<[string, string, string, number], DocRow>(
          `SELECT id, doc, updated_at FROM documents WHERE tenant_id = ? AND collection = ? AND id ${order === 'asc' ? '>' : '<'} ? ORDER BY id ${order} LIMIT ?`
        )
        .raw()
    })
    this.#pages = { asc: page('asc'), desc: page('desc') }
  }

  put(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): void {
    this.#put.run(tenantId, collection, id, JSON.stringify(doc), Date.now())
  }

  /** Create-if-absent: true when stored, false when the id was taken (left unchanged). */
  insert(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): boolean {
    return this.#insert.run(tenantId, collection, id, JSON.stringify(doc), Date.now()).changes > 0
  }

  get(tenantId: string, collection: string, id: string): StoredDocument | undefined {
    const row = this.#get.get(tenantId, collection, id)
    return row === undefined ? undefined : toDocument(row)
  }

  list(tenantId: string, collection: string, query?: DocumentQuery): Page<StoredDocument> {
    const order = query?.order === 'desc' ? 'desc' : 'asc'
    const limit = pageLimit(query)
    const kind = `documents:${order}`
    const rows =
      query?.cursor === undefined
        ? this.#pages[order].first.all(tenantId, collection, limit + 1)
        : this.#pages[order].after.all(tenantId, collection, decodeCursor(query.cursor, kind, ['string'])[0], limit + 1)
    const items = rows.slice(0, limit).map(toDocument)
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.id]) } : { items }
  }

  delete(tenantId: string, collection: string, id: string): boolean {
    return this.#delete.run(tenantId, collection, id).changes > 0
  }
}

function toDocument([id, doc, updatedAt]: DocRow): StoredDocument {
  return { id, doc: JSON.parse(doc) as Record<string, unknown>, updatedAt }
}
