import type { Principal } from '@vedette/sdk'

export interface VerifiedKey {
  keyId: string
  principal: Principal
  expiresAt?: number
  verifiedAt: number
}

/**
 * Keys verified recently, by sha256 of the whole key, so that a client
 * sending the same key on every request pays for scrypt once per TTL.
 * The digest, not the key, is the map key: a heap dump must not hold
 * plaintext keys. Bounded: when full, the oldest entry goes first.
 */
export class VerifiedKeyCache {
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #entries = new Map<string, VerifiedKey>()

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs
    this.#maxEntries = maxEntries
  }

  get size(): number {
    return this.#entries.size
  }

  /** The entry if verified less than a TTL ago; stale entries are dropped on the way. */
  get(digest: string, now: number): VerifiedKey | undefined {
    const entry = this.#entries.get(digest)
    if (entry === undefined) return undefined
    if (now - entry.verifiedAt >= this.#ttlMs) {
      this.#entries.delete(digest)
      return undefined
    }
    return entry
  }

  set(digest: string, entry: VerifiedKey): void {
    if (this.#ttlMs <= 0) return
    this.#entries.delete(digest)
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#entries.delete(oldest.value)
    }
    this.#entries.set(digest, entry)
  }

  delete(digest: string): void {
    this.#entries.delete(digest)
  }

  /** Drops every entry of one key (it was revoked); the cache is small, a scan is fine. */
  deleteKey(keyId: string): void {
    for (const [digest, entry] of this.#entries) if (entry.keyId === keyId) this.#entries.delete(digest)
  }

  clear(): void {
    this.#entries.clear()
  }
}
