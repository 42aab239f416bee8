import type { PushPing, PushState, Storage } from '@vedette/sdk'

type Documents = Pick<Storage, 'putDocument' | 'getDocument' | 'deleteDocument'>

const COLLECTION = 'push-pings'
/** Pings kept per monitor, newest first: enough to pair starts with ends and show recent runs. */
export const PINGS_KEPT = 50

interface PingsDoc {
  since: number
  pings: PushPing[]
}

/**
 * The pings of each push monitor, kept as one document per monitor in the
 * storage plugin (so every node of a cluster sees them). Writes to one
 * monitor are serialised in this process: two pings arriving together are
 * both kept.
 */
export class PushPings {
  readonly #docs: Documents
  readonly #queues = new Map<string, Promise<unknown>>()

  constructor(docs: Documents) {
    this.#docs = docs
  }

  record(tenantId: string, monitorId: string, ping: PushPing): Promise<void> {
    return this.#serial(tenantId, monitorId, async () => {
      const doc = await this.#read(tenantId, monitorId, ping.at)
      doc.pings.unshift(ping)
      doc.pings.sort((a, b) => b.at - a.at)
      doc.pings.length = Math.min(doc.pings.length, PINGS_KEPT)
      await this.#docs.putDocument(tenantId, COLLECTION, monitorId, doc as unknown as Record<string, unknown>)
    })
  }

  /** What a run of the monitor judges; the first read starts the monitor's "expected since" clock. */
  state(tenantId: string, monitorId: string, now: number): Promise<PushState> {
    return this.#serial(tenantId, monitorId, async () => {
      const doc = await this.#read(tenantId, monitorId, now, true)
      return { pings: doc.pings, since: doc.since, now }
    })
  }

  /** Restarts the "expected since" clock (a resumed monitor is not late for the time it was paused). */
  restart(tenantId: string, monitorId: string, now: number): Promise<void> {
    return this.#serial(tenantId, monitorId, async () => {
      const doc = await this.#read(tenantId, monitorId, now)
      doc.since = now
      await this.#docs.putDocument(tenantId, COLLECTION, monitorId, doc as unknown as Record<string, unknown>)
    })
  }

  async remove(tenantId: string, monitorId: string): Promise<void> {
    await this.#docs.deleteDocument(tenantId, COLLECTION, monitorId)
  }

  async #read(tenantId: string, monitorId: string, now: number, persistNew = false): Promise<PingsDoc> {
    const stored = await this.#docs.getDocument(tenantId, COLLECTION, monitorId)
    if (stored !== undefined) return stored.doc as unknown as PingsDoc
    const fresh: PingsDoc = { since: now, pings: [] }
    if (persistNew) await this.#docs.putDocument(tenantId, COLLECTION, monitorId, fresh as unknown as Record<string, unknown>)
    return fresh
  }

  #serial<T>(tenantId: string, monitorId: string, work: () => Promise<T>): Promise<T> {
    const key = `${tenantId}/${monitorId}`
    const previous = this.#queues.get(key) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.then(
      () => undefined,
      () => undefined
    )
    this.#queues.set(key, settled)
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key)
    })
    return next
  }
}
