import { createHash } from 'node:crypto'
import { DEFAULT_TENANT } from '@vedette/sdk'
import type { AuthRequest, AuthenticatorInstance, Logger, PluginDocuments, Principal } from '@vedette/sdk'
import { bootstrapBanner } from './bootstrap-banner.js'
import type { ResolvedConfig } from './config.js'
import { ApiKeyInvalidError } from './errors.js'
import { extractKey } from './extract-key.js'
import { parseKey } from './key-format.js'
import { KeyStore } from './key-store.js'
import { verifySecret } from './secret-hash.js'
import { VerifiedKeyCache } from './verified-cache.js'

export interface ApiKeyAuthenticatorOptions {
  config: ResolvedConfig
  documents: PluginDocuments
  logger: Logger
  /** Clock, epoch ms; tests move it. */
  now?: () => number
  /** Where the bootstrap banner goes; stderr by default. */
  writeBanner?: (text: string) => void
}

/** lastUsedAt is written at most this often per key: a busy key must not cost a write per request. */
const TOUCH_INTERVAL_MS = 60_000
/** Bound on the per-key "last written" map; past it the map starts over (a few extra writes, no growth). */
const TOUCH_TRACKED_MAX = 10_000

/**
 * Authenticates `Authorization: Bearer vdt_…` and `X-Api-Key: vdt_…` against
 * keys kept hashed in the plugin document store, and issues them (`keys`).
 *
 * @example
 * const auth = new ApiKeyAuthenticator({ config: parseConfig({}), documents: ctx.documents, logger: ctx.logger })
 * await auth.start() // storage must be started
 * const { key } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'editor' })
 * await auth.authenticate({ method: 'GET', url: '/api/v1/monitors', headers: { 'x-api-key': key } })
 * // { id: '…', name: 'ci', tenantId: 'default', role: 'editor' }
 */
export class ApiKeyAuthenticator implements AuthenticatorInstance {
  readonly keys: KeyStore
  readonly #config: ResolvedConfig
  readonly #logger: Logger
  readonly #now: () => number
  readonly #writeBanner: (text: string) => void
  readonly #cache: VerifiedKeyCache
  /** Verifications under way, by digest: a burst of requests with one new key runs scrypt once. */
  readonly #pending = new Map<string, Promise<Principal>>()
  readonly #touched = new Map<string, number>()
  /** lastUsedAt writes in flight; stop() waits for them, since the engine closes storage right after. */
  readonly #writes = new Set<Promise<void>>()
  /** Bumped by every revoke: a verification that began before it must not fill the cache after it. */
  #generation = 0

  constructor(options: ApiKeyAuthenticatorOptions) {
    this.#config = options.config
    this.#logger = options.logger
    this.#now = options.now ?? Date.now
    this.#writeBanner = options.writeBanner ?? ((text) => process.stderr.write(text))
    this.#cache = new VerifiedKeyCache(options.config.cacheTtlMs, options.config.cacheSize)
    this.keys = new KeyStore(options.documents, {
      now: this.#now,
      onRevoke: (id) => {
        this.#generation++
        this.#cache.deleteKey(id)
        this.#pending.clear()
      }
    })
  }

  /** Storage is open by now: create the bootstrap admin key if the store has no key at all. */
  async start(): Promise<void> {
    if (!this.#config.bootstrapAdmin || (await this.keys.hasAny(DEFAULT_TENANT))) return
    const { key, info } = await this.keys.create({ tenantId: DEFAULT_TENANT, name: 'bootstrap-admin', role: 'admin' })
    this.#writeBanner(bootstrapBanner(key, info))
    this.#logger.warn({ keyId: info.id, tenantId: info.tenantId }, 'created the bootstrap admin API key and printed it to stderr, once; revoke it once you have your own keys')
  }

  async stop(): Promise<void> {
    await Promise.all(this.#writes)
    this.#cache.clear()
    this.#pending.clear()
    this.#touched.clear()
  }

  async authenticate(request: AuthRequest): Promise<Principal | null> {
    const key = extractKey(request)
    if (key === null) return null
    const digest = createHash('sha256').update(key).digest('hex')
    const now = this.#now()
    const cached = this.#cache.get(digest, now)
    if (cached !== undefined) {
      // Expiry is checked on every hit: a key must not outlive its expiresAt by a cache TTL.
      if (cached.expiresAt !== undefined && cached.expiresAt <= now) {
        this.#cache.delete(digest)
        throw new ApiKeyInvalidError(`key ${cached.keyId} expired at ${new Date(cached.expiresAt).toISOString()}`)
      }
      this.#touch(cached.principal, now)
      return cached.principal
    }
    let pending = this.#pending.get(digest)
    if (pending === undefined) {
      pending = this.#verify(key, digest).finally(() => this.#pending.delete(digest))
      this.#pending.set(digest, pending)
    }
    return pending
  }

  async #verify(key: string, digest: string): Promise<Principal> {
    const generation = this.#generation
    const parts = parseKey(key)
    if (parts === undefined) throw new ApiKeyInvalidError('it is not a Vedette API key (expected vdt_<id>_<secret>)')
    const record = await this.keys.find(parts.id)
    // Unknown id and wrong secret read the same: the answer must not help guess ids.
    if (record === undefined || !(await verifySecret(parts.secret, record))) throw new ApiKeyInvalidError('unknown key or wrong secret')
    // Revoked and expired only after the secret matched: only the key's holder learns which.
    if (record.revokedAt !== undefined) throw new ApiKeyInvalidError(`key ${record.id} was revoked at ${new Date(record.revokedAt).toISOString()}`)
    const now = this.#now()
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      throw new ApiKeyInvalidError(`key ${record.id} expired at ${new Date(record.expiresAt).toISOString()}`)
    }
    const principal: Principal = Object.freeze({ id: record.id, name: record.name, tenantId: record.tenantId, role: record.role })
    if (generation === this.#generation) {
      this.#cache.set(digest, { keyId: record.id, principal, verifiedAt: now, ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }) })
    }
    this.#touch(principal, now)
    return principal
  }

  /** Records lastUsedAt in the background, at most once a minute per key; a failed write only loses a timestamp. */
  #touch(principal: Principal, now: number): void {
    const last = this.#touched.get(principal.id)
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return
    if (this.#touched.size >= TOUCH_TRACKED_MAX) this.#touched.clear()
    this.#touched.set(principal.id, now)
    const write = this.keys
      .touch(principal.tenantId, principal.id, now)
      .catch((err: unknown) => this.#logger.warn({ err, keyId: principal.id }, 'could not record when the API key was last used'))
      .finally(() => this.#writes.delete(write))
    this.#writes.add(write)
  }
}
