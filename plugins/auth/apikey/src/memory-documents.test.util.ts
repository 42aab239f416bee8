// Test-only (the `.test.` keeps it out of the published files): a PluginDocuments
// on a Map that copies on the way in and out, as a real store does.
import type { DocumentQuery, Page, PluginDocuments, StoredDocument } from '@vedette/sdk'

export class MemoryDocuments implements PluginDocuments {
  readonly docs = new Map<string, StoredDocument>()
  writes = 0

  async put(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void> {
    this.writes++
    this.docs.set(`${tenantId}\0${collection}\0${id}`, { id, doc: structuredClone(doc), updatedAt: Date.now() })
  }

  async get(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined> {
    const found = this.docs.get(`${tenantId}\0${collection}\0${id}`)
    return found === undefined ? undefined : structuredClone(found)
  }

  async list(tenantId: string, collection: string, query: DocumentQuery = {}): Promise<Page<StoredDocument>> {
    const prefix = `${tenantId}\0${collection}\0`
    const all = [...this.docs.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v).sort((a, b) => (a.id < b.id ? -1 : 1))
    const start = query.cursor === undefined ? 0 : Number(query.cursor)
    const limit = query.limit ?? 100
    const items = all.slice(start, start + limit).map((d) => structuredClone(d))
    return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items }
  }

  async delete(tenantId: string, collection: string, id: string): Promise<boolean> {
    return this.docs.delete(`${tenantId}\0${collection}\0${id}`)
  }

  /** Every stored document as one JSON text, to look for leaked secrets. */
  dump(): string {
    return JSON.stringify([...this.docs.entries()])
  }
}
