import type { Logger, MonitorRecord, Storage } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'

/** Monitors per storage transaction when storing many. */
const SYNC_BATCH = 2000

/**
 * Writes monitors to storage, skipping the ones stored unchanged (a restart
 * rewrites nothing). Batches keep one transaction per few thousand monitors
 * instead of one per monitor, and yielding between them lets an already
 * running scheduler breathe.
 */
export async function storeMonitors(storage: Pick<Storage, 'listMonitors' | 'putMonitors'>, monitors: readonly Monitor[], logger: Logger): Promise<void> {
  const byTenant = new Map<string, Monitor[]>()
  for (const m of monitors) {
    const list = byTenant.get(m.tenantId)
    if (list === undefined) byTenant.set(m.tenantId, [m])
    else list.push(m)
  }
  let written = 0
  for (const [tenant, list] of byTenant) {
    const stored = new Map<string, MonitorRecord>()
    let cursor: string | undefined
    do {
      const page = await storage.listMonitors(tenant, { limit: 1000, ...(cursor ? { cursor } : {}) })
      for (const r of page.items) stored.set(r.id, r)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    const changed: MonitorRecord[] = []
    for (const m of list) {
      const before = stored.get(m.id)
      const record = toRecord(m, before)
      // Key order is not kept by every store (PostgreSQL jsonb sorts keys): compare canonically.
      if (before !== undefined && canonicalJson(before.definition) === canonicalJson(record.definition) && before.enabled === record.enabled) continue
      changed.push(record)
    }
    for (let i = 0; i < changed.length; i += SYNC_BATCH) {
      await storage.putMonitors(changed.slice(i, i + SYNC_BATCH))
      await new Promise((r) => setImmediate(r))
    }
    written += changed.length
  }
  if (written > 0) logger.info({ written, total: monitors.length }, 'monitors stored')
}

/** The stored form of a monitor; keeps the first creation time. */
export function toRecord(m: Monitor, before: MonitorRecord | undefined): MonitorRecord {
  const now = Date.now()
  return {
    tenantId: m.tenantId,
    id: m.id,
    name: m.name,
    type: m.type,
    enabled: m.enabled,
    tags: m.tags,
    definition: JSON.parse(JSON.stringify(m)) as Record<string, unknown>,
    createdAt: before?.createdAt ?? now,
    updatedAt: now
  }
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
  )
}
