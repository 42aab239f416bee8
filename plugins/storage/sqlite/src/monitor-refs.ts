import type { MonitorRecord } from '@vedette/sdk'
import { RefCache } from './registry-caches.js'
import type { Statements } from './statements.js'

/**
 * Monitor refs (see `monitor_refs` in migrations.ts) behind a cache, and the
 * writes keyed by them: monitor records, and deleting all of a monitor's data.
 */
export class MonitorRefs {
  readonly #sql: Statements
  readonly #cache = new RefCache()

  constructor(sql: Statements) {
    this.#sql = sql
  }

  /** The ref of (tenant, monitor); with `create`, inserted if missing (only inside a write transaction). */
  get(tenantId: string, monitorId: string, create: true): number
  get(tenantId: string, monitorId: string, create: false): number | undefined
  get(tenantId: string, monitorId: string, create: boolean): number | undefined {
    const cached = this.#cache.get(tenantId, monitorId)
    if (cached !== undefined) return cached
    let ref = this.#sql.refGet.get(tenantId, monitorId)
    if (ref === undefined && create) ref = Number(this.#sql.refInsert.run(tenantId, monitorId).lastInsertRowid)
    if (ref !== undefined) this.#cache.set(tenantId, monitorId, ref)
    return ref
  }

  /** Inserts or replaces a monitor record; run inside a transaction. */
  put(monitor: MonitorRecord): void {
    const ref = this.get(monitor.tenantId, monitor.id, true)
    const { name, type, enabled, tags, definition, createdAt, updatedAt } = monitor
    this.#sql.monitorUpsert.run(ref, name, type, enabled ? 1 : 0, JSON.stringify(tags), JSON.stringify(definition), createdAt, updatedAt)
  }

  /** Deletes the monitor's record and data; run inside a transaction. Returns the ref it had, if any. */
  remove(tenantId: string, monitorId: string): number | undefined {
    // Straight from the table, not the cache: deletion must see the truth.
    const ref = this.#sql.refGet.get(tenantId, monitorId)
    this.#cache.delete(tenantId, monitorId)
    if (ref === undefined) return undefined
    for (const stmt of this.#sql.deleteByRef) stmt.run(ref)
    return ref
  }

  /** Forgets every cached ref: after a rollback a cached one may name nothing (or something else). */
  clear(): void {
    this.#cache.clear()
  }
}
