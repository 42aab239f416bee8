import { assertDocumentKey, decodeCursor, encodeCursor, pageLimit } from '@vedette/sdk'
import type { DocumentQuery, Page, StoredDocument } from '@vedette/sdk'
import { compareCodePoints } from './code-point.js'

/** Small JSON documents by (tenant, collection, id), deep-copied in and out. */
export class MemoryDocuments {
  /** Documents by `tenant \0 collection`, then id. */
  readonly #collections = new Map<string, Map<string, StoredDocument>>()

  put(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): void {
    assertDocumentKey(tenantId, collection, id)
    this.#collection(tenantId, collection, true).set(id, { id, doc: structuredClone(doc), updatedAt: Date.now() })
  }

  /** Create-if-absent; one synchronous step, so concurrent inserts of one id cannot both win. */
  insert(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): boolean {
    assertDocumentKey(tenantId, collection, id)
    const docs = this.#collection(tenantId, collection, true)
    if (docs.has(id)) return false
    docs.set(id, { id, doc: structuredClone(doc), updatedAt: Date.now() })
    return true
  }

  get(tenantId: string, collection: string, id: string): StoredDocument | undefined {
    const found = this.#collection(tenantId, collection)?.get(id)
    return found === undefined ? undefined : structuredClone(found)
  }

  list(tenantId: string, collection: string, query?: DocumentQuery): Page<StoredDocument> {
    const order = query?.order === 'desc' ? 'desc' : 'asc'
    const limit = pageLimit(query)
    const kind = `documents:${order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['string'])[0]
    const docs = this.#collection(tenantId, collection)
    const ids = [...(docs?.keys() ?? [])].sort(compareCodePoints)
    if (order === 'desc') ids.reverse()
    const start = after === undefined ? 0 : ids.findIndex((id) => (order === 'asc' ? compareCodePoints(id, after) > 0 : compareCodePoints(id, after) < 0))
    const slice = start < 0 ? [] : ids.slice(start, start + limit + 1)
    const items = slice.slice(0, limit).map((id) => structuredClone(docs?.get(id) as StoredDocument))
    const last = items[items.length - 1]
    return slice.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last.id]) } : { items }
  }

  delete(tenantId: string, collection: string, id: string): boolean {
    return this.#collection(tenantId, collection)?.delete(id) ?? false
  }

  #collection(tenantId: string, collection: string, create: true): Map<string, StoredDocument>
  #collection(tenantId: string, collection: string): Map<string, StoredDocument> | undefined
  #collection(tenantId: string, collection: string, create = false): Map<string, StoredDocument> | undefined {
    const key = `${tenantId}\u0000${collection}`
    let docs = this.#collections.get(key)
    if (docs === undefined && create) this.#collections.set(key, (docs = new Map()))
    return docs
  }
}
