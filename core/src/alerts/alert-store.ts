import { createHash } from 'node:crypto'
import type { Page, Storage } from '@vedette/sdk'
import type { Alert, AlertQuery } from './alert-types.js'

type Documents = Pick<Storage, 'putDocument' | 'getDocument' | 'listDocuments' | 'deleteDocument' | 'insertDocument'>

const ALERTS = 'alerts'
const OPEN = 'alerts-open'
/** How old a claim without its alert must be before it is taken for an orphan. */
const ORPHAN_GRACE_MS = 30_000

/**
 * Alerts as documents in the storage plugin (shared by every node). The
 * `alerts-open` collection maps each dedup key to its open alert; creating
 * it with `insertDocument` is what makes "one open alert per (rule, monitor)"
 * hold even when two nodes judge the same monitor during a failover.
 */
export class AlertStore {
  readonly #docs: Documents

  constructor(docs: Documents) {
    this.#docs = docs
  }

  /** Alert ids sort by start time (the list order), then by dedup key. */
  static alertId(dedupKey: string, startedAt: number): string {
    const hash = createHash('sha256').update(dedupKey).digest('base64url').slice(0, 10)
    return `al_${startedAt.toString(36).padStart(9, '0')}_${hash}`
  }

  /** Opens a new alert; false when another one is already open for its dedup key. */
  async open(alert: Alert): Promise<boolean> {
    const claim = key(alert.dedupKey)
    let claimed = await this.#docs.insertDocument(alert.tenantId, OPEN, claim, { alertId: alert.id, at: alert.startedAt })
    if (!claimed && (await this.#clearOrphanClaim(alert.tenantId, claim, alert.startedAt))) {
      claimed = await this.#docs.insertDocument(alert.tenantId, OPEN, claim, { alertId: alert.id, at: alert.startedAt })
    }
    if (!claimed) return false
    try {
      await this.save(alert)
    } catch (err) {
      // Without its alert the claim would block this (rule, monitor) for good.
      await this.#docs.deleteDocument(alert.tenantId, OPEN, claim).catch(() => false)
      throw err
    }
    return true
  }

  /**
   * A claim whose alert was never written (its writer died between the two
   * writes) is removed once it is older than ORPHAN_GRACE_MS; a younger one
   * may be a write still in flight on another node.
   */
  async #clearOrphanClaim(tenantId: string, claim: string, now: number): Promise<boolean> {
    const ref = await this.#docs.getDocument(tenantId, OPEN, claim)
    if (ref === undefined) return true
    const at = typeof ref.doc.at === 'number' ? ref.doc.at : ref.updatedAt
    if (now - at < ORPHAN_GRACE_MS || (await this.get(tenantId, String(ref.doc.alertId))) !== undefined) return false
    return this.#docs.deleteDocument(tenantId, OPEN, claim)
  }

  async save(alert: Alert): Promise<void> {
    await this.#docs.putDocument(alert.tenantId, ALERTS, alert.id, alert as unknown as Record<string, unknown>)
    if (alert.status === 'resolved') await this.#docs.deleteDocument(alert.tenantId, OPEN, key(alert.dedupKey))
  }

  async get(tenantId: string, id: string): Promise<Alert | undefined> {
    return (await this.#docs.getDocument(tenantId, ALERTS, id))?.doc as Alert | undefined
  }

  /** The open alert of a dedup key, if any. */
  async openByKey(tenantId: string, dedupKey: string): Promise<Alert | undefined> {
    const ref = await this.#docs.getDocument(tenantId, OPEN, key(dedupKey))
    if (ref === undefined) return undefined
    const alert = await this.get(tenantId, String(ref.doc.alertId))
    return alert?.status === 'resolved' ? undefined : alert
  }

  /** Every open alert of the tenant (restored at start). */
  async openAlerts(tenantId: string): Promise<Alert[]> {
    const out: Alert[] = []
    let cursor: string | undefined
    do {
      const page = await this.#docs.listDocuments(tenantId, OPEN, { limit: 1000, ...(cursor ? { cursor } : {}) })
      for (const item of page.items) {
        const alert = await this.get(tenantId, String(item.doc.alertId))
        if (alert !== undefined && alert.status !== 'resolved') out.push(alert)
      }
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return out
  }

  /**
   * Newest first, filtered. Filtering happens on the stored pages, so a page
   * may hold fewer than `limit` alerts; follow `nextCursor` until it is absent.
   */
  async list(tenantId: string, query: AlertQuery = {}): Promise<Page<Alert>> {
    const limit = query.limit ?? 100
    let cursor = query.cursor
    for (;;) {
      const page = await this.#docs.listDocuments(tenantId, ALERTS, { order: 'desc', limit, ...(cursor ? { cursor } : {}) })
      const items = page.items.map((d) => d.doc as unknown as Alert).filter((a) => matches(a, query))
      if (items.length > 0 || page.nextCursor === undefined) return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }
      cursor = page.nextCursor
    }
  }
}

function key(dedupKey: string): string {
  return createHash('sha256').update(dedupKey).digest('hex')
}

function matches(alert: Alert, q: AlertQuery): boolean {
  if (q.status === 'open' ? alert.status === 'resolved' : q.status !== undefined && alert.status !== q.status) return false
  if (q.monitorId !== undefined && alert.monitorId !== q.monitorId) return false
  if (q.ruleId !== undefined && alert.ruleId !== q.ruleId) return false
  return q.severity === undefined || alert.severity === q.severity
}
