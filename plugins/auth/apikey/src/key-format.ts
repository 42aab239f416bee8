import { randomBytes } from 'node:crypto'

/**
 * `vdt_` marks a string as a Vedette key, so secret scanners (GitHub push
 * protection, gitleaks, trufflehog) can be taught one pattern to catch leaks:
 * `vdt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}`.
 */
export const KEY_PREFIX = 'vdt_'

/** 8 random bytes as hex: unique enough to find the record by id, and free of `_` so the key splits unambiguously. */
const ID_BYTES = 8
/** 256 bits: guessing is hopeless, so the scrypt below only guards stolen databases. */
const SECRET_BYTES = 32

const KEY_RE = /^vdt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

export interface KeyParts {
  id: string
  secret: string
}

export function newKeyParts(): KeyParts {
  return { id: randomBytes(ID_BYTES).toString('hex'), secret: randomBytes(SECRET_BYTES).toString('base64url') }
}

export function formatKey(parts: KeyParts): string {
  return `${KEY_PREFIX}${parts.id}_${parts.secret}`
}

/** The id and secret of a well-formed key; undefined for anything else. */
export function parseKey(key: string): KeyParts | undefined {
  const m = KEY_RE.exec(key)
  return m === null ? undefined : { id: m[1] as string, secret: m[2] as string }
}
