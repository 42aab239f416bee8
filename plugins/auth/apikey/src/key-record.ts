import type { ApiKeyInfo, Role } from '@vedette/sdk'
import type { SecretHash } from './secret-hash.js'

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin']

/** A key as stored: the listed facts plus the secret's hash. Never the secret. */
export interface KeyRecord extends SecretHash, Omit<ApiKeyInfo, 'lastUsedAt'> {}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/**
 * Reads a stored document back, or undefined when it is not a key record
 * (hand-edited, written by a future version, damaged). Storage is trusted for
 * durability, not for shape: a record without a hash must never authenticate.
 */
export function readKeyRecord(doc: Record<string, unknown>): KeyRecord | undefined {
  const { id, name, role, tenantId, createdAt, expiresAt, revokedAt, hash, salt, kdf } = doc
  const str = (v: unknown): v is string => typeof v === 'string' && v !== ''
  const time = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
  if (!str(id) || typeof name !== 'string' || !isRole(role) || !str(tenantId) || !time(createdAt)) return undefined
  if (!str(hash) || !str(salt) || !str(kdf)) return undefined
  if ((expiresAt !== undefined && !time(expiresAt)) || (revokedAt !== undefined && !time(revokedAt))) return undefined
  return {
    id,
    name,
    role,
    tenantId,
    createdAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    hash,
    salt,
    kdf
  }
}

export function toDocument(record: KeyRecord): Record<string, unknown> {
  return { ...record }
}

/** What `list` and `create` show: everything but the hash. */
export function toInfo(record: KeyRecord, lastUsedAt?: number): ApiKeyInfo {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    tenantId: record.tenantId,
    createdAt: record.createdAt,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    ...(record.revokedAt === undefined ? {} : { revokedAt: record.revokedAt }),
    ...(lastUsedAt === undefined ? {} : { lastUsedAt })
  }
}
