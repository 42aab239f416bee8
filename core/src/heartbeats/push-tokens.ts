import { createHash, randomBytes } from 'node:crypto'
import type { Storage } from '@vedette/sdk'

type Documents = Pick<Storage, 'putDocument' | 'getDocument' | 'deleteDocument'>

/**
 * The token index lives under its own tenant id: a ping URL carries only the
 * token, and the token alone must find its monitor (and nothing else).
 */
export const PUSH_INDEX_TENANT = '_push'
const INDEX = 'push-token-index'
const BY_MONITOR = 'push-tokens'

export interface PushTarget {
  tenantId: string
  monitorId: string
}

/**
 * Secret ping tokens of push (heartbeat) monitors. Only a SHA-256 of each
 * token is stored: the token is shown once, when it is made, like an API key;
 * rotating makes a new one and the old one stops working at once.
 */
export class PushTokens {
  readonly #docs: Documents
  /** token hash → target; a rotated token is dropped from it on this node (others re-read within `ttlMs`). */
  readonly #cache = new Map<string, { target: PushTarget; until: number }>()
  readonly #ttlMs: number

  constructor(docs: Documents, ttlMs = 30_000) {
    this.#docs = docs
    this.#ttlMs = ttlMs
  }

  /** Makes a new token for the monitor, replacing (and disabling) its previous one. */
  async rotate(tenantId: string, monitorId: string, now = Date.now()): Promise<string> {
    const token = `hb_${randomBytes(24).toString('base64url')}`
    const hash = tokenHash(token)
    const before = await this.#docs.getDocument(tenantId, BY_MONITOR, monitorId)
    await this.#docs.putDocument(PUSH_INDEX_TENANT, INDEX, hash, { tenantId, monitorId })
    await this.#docs.putDocument(tenantId, BY_MONITOR, monitorId, { hash, createdAt: now })
    const old = before?.doc.hash
    if (typeof old === 'string') {
      await this.#docs.deleteDocument(PUSH_INDEX_TENANT, INDEX, old)
      this.#cache.delete(old)
    }
    return token
  }

  /** The monitor a token belongs to, if the token is current. */
  async resolve(token: string, now = Date.now()): Promise<PushTarget | undefined> {
    const hash = tokenHash(token)
    const hit = this.#cache.get(hash)
    if (hit !== undefined && hit.until > now) return hit.target
    const doc = await this.#docs.getDocument(PUSH_INDEX_TENANT, INDEX, hash)
    if (doc === undefined) {
      this.#cache.delete(hash)
      return undefined
    }
    const target = { tenantId: String(doc.doc.tenantId), monitorId: String(doc.doc.monitorId) }
    if (this.#cache.size > 10_000) this.#cache.clear()
    this.#cache.set(hash, { target, until: now + this.#ttlMs })
    return target
  }

  /** When the monitor's current token was made; undefined when it has none. */
  async createdAt(tenantId: string, monitorId: string): Promise<number | undefined> {
    const doc = await this.#docs.getDocument(tenantId, BY_MONITOR, monitorId)
    return typeof doc?.doc.createdAt === 'number' ? doc.doc.createdAt : undefined
  }

  /** Disables the monitor's token (the monitor was deleted). */
  async revoke(tenantId: string, monitorId: string): Promise<void> {
    const doc = await this.#docs.getDocument(tenantId, BY_MONITOR, monitorId)
    if (doc === undefined) return
    const hash = doc.doc.hash
    if (typeof hash === 'string') {
      await this.#docs.deleteDocument(PUSH_INDEX_TENANT, INDEX, hash)
      this.#cache.delete(hash)
    }
    await this.#docs.deleteDocument(tenantId, BY_MONITOR, monitorId)
  }
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
