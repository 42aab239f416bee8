import { DEFAULT_TENANT } from '@vedette/sdk'
import type { ApiKeyInfo, ApiKeyManager, PluginDocuments, Role, StoredDocument } from '@vedette/sdk'
import { ApiKeyInputError } from './errors.js'
import { formatKey, newKeyParts } from './key-format.js'
import { isRole, readKeyRecord, ROLES, toDocument, toInfo } from './key-record.js'
import type { KeyRecord } from './key-record.js'
import { hashSecret } from './secret-hash.js'

/** Collections of this plugin (the engine prefixes them with the package name). */
export const COLLECTIONS = {
  /** `(tenant, keys, id)` → the key record. */
  keys: 'keys',
  /** `(tenant, usage, id)` → `{ lastUsedAt }`: apart from the record so a usage write can never undo a revoke. */
  usage: 'usage',
  /** `(INDEX_TENANT, key-index, id)` → `{ tenantId }`: a key names no tenant, so authentication finds it here. */
  index: 'key-index'
} as const

/** Where the id → tenant index lives; the collection is this plugin's own, so any tenant would do. */
const INDEX_TENANT = DEFAULT_TENANT
const NAME_MAX = 100
/** The storage contract caps pages at 1,000. */
const PAGE = 1000

export interface CreateKeyInput {
  tenantId: string
  name: string
  role: Role
  expiresAt?: number
}

/**
 * API keys on the plugin document store: create (the plaintext is returned
 * once, only the scrypt hash is kept), list, revoke, and find by id for
 * authentication. Implements the SDK's ApiKeyManager.
 */
export class KeyStore implements ApiKeyManager {
  readonly #docs: PluginDocuments
  readonly #now: () => number
  readonly #onRevoke: (id: string) => void

  constructor(docs: PluginDocuments, options: { now: () => number; onRevoke: (id: string) => void }) {
    this.#docs = docs
    this.#now = options.now
    this.#onRevoke = options.onRevoke
  }

  async create(input: CreateKeyInput): Promise<{ key: string; info: ApiKeyInfo }> {
    const now = this.#now()
    const { tenantId, role, expiresAt } = input
    const name = typeof input.name === 'string' ? input.name.trim() : input.name
    if (typeof tenantId !== 'string' || tenantId === '') throw new ApiKeyInputError('tenantId must be a non-empty string')
    if (typeof name !== 'string' || name === '' || name.length > NAME_MAX || /\p{Cc}/u.test(name)) {
      throw new ApiKeyInputError(`name must be 1 to ${NAME_MAX} printable characters`)
    }
    if (!isRole(role)) throw new ApiKeyInputError(`role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`)
    if (expiresAt !== undefined) {
      if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) throw new ApiKeyInputError('expiresAt must be epoch milliseconds')
      if (expiresAt <= now) throw new ApiKeyInputError(`expiresAt ${new Date(expiresAt).toISOString()} is not in the future`)
    }
    let parts = newKeyParts()
    // 64-bit random ids practically never collide, but a collision would overwrite a key: check.
    while ((await this.#docs.get(INDEX_TENANT, COLLECTIONS.index, parts.id)) !== undefined) parts = newKeyParts()
    const record: KeyRecord = {
      id: parts.id,
      name,
      role,
      tenantId,
      createdAt: now,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(await hashSecret(parts.secret))
    }
    // Record first, index second: a crash in between leaves an unreachable record, never a dangling index.
    await this.#docs.put(tenantId, COLLECTIONS.keys, record.id, toDocument(record))
    await this.#docs.put(INDEX_TENANT, COLLECTIONS.index, record.id, { tenantId })
    return { key: formatKey(parts), info: toInfo(record) }
  }

  /** The tenant's keys, oldest first, with when each was last used; never a hash. */
  async list(tenantId: string): Promise<ApiKeyInfo[]> {
    const usage = new Map<string, number>()
    for (const { id, doc } of await this.#all(tenantId, COLLECTIONS.usage)) {
      if (typeof doc.lastUsedAt === 'number') usage.set(id, doc.lastUsedAt)
    }
    const infos: ApiKeyInfo[] = []
    for (const { doc } of await this.#all(tenantId, COLLECTIONS.keys)) {
      const record = readKeyRecord(doc)
      if (record !== undefined) infos.push(toInfo(record, usage.get(record.id)))
    }
    return infos.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
  }

  /** Marks the key revoked (kept, so listings show who had access until when). False when the tenant has no such key. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const stored = await this.#docs.get(tenantId, COLLECTIONS.keys, id)
    const record = stored === undefined ? undefined : readKeyRecord(stored.doc)
    if (record === undefined) return false
    // Before the write, so no request from now on is answered from the cache; and again after
    // it, for a verification that read the record while the write was under way.
    this.#onRevoke(id)
    if (record.revokedAt === undefined) {
      await this.#docs.put(tenantId, COLLECTIONS.keys, id, toDocument({ ...record, revokedAt: this.#now() }))
    }
    this.#onRevoke(id)
    return true
  }

  /** The record of a key id in whichever tenant it belongs to. */
  async find(id: string): Promise<KeyRecord | undefined> {
    const index = await this.#docs.get(INDEX_TENANT, COLLECTIONS.index, id)
    const tenantId = index?.doc.tenantId
    if (typeof tenantId !== 'string' || tenantId === '') return undefined
    const stored = await this.#docs.get(tenantId, COLLECTIONS.keys, id)
    const record = stored === undefined ? undefined : readKeyRecord(stored.doc)
    // An index entry pointing at another key's record must not lend it its tenant.
    return record?.id === id && record.tenantId === tenantId ? record : undefined
  }

  async touch(tenantId: string, id: string, at: number): Promise<void> {
    await this.#docs.put(tenantId, COLLECTIONS.usage, id, { lastUsedAt: at })
  }

  /** Whether the tenant has any key record at all, revoked and expired ones included. */
  async hasAny(tenantId: string): Promise<boolean> {
    return (await this.#docs.list(tenantId, COLLECTIONS.keys, { limit: 1 })).items.length > 0
  }

  async #all(tenantId: string, collection: string): Promise<StoredDocument[]> {
    const all: StoredDocument[] = []
    let cursor: string | undefined
    do {
      const page = await this.#docs.list(tenantId, collection, { limit: PAGE, ...(cursor === undefined ? {} : { cursor }) })
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return all
  }
}
