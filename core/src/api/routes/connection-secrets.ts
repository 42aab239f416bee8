import { REDACTED } from './redact-secrets.js'

// Where connection strings live in the document: the storage and cluster plugins' config.
const SECTIONS = ['storage', 'cluster'] as const

/**
 * Passwords inside connection URLs (`postgres://user:pw@host/db`,
 * `redis://:pw@host`) in `storage.config` and `cluster.config`: the API
 * shows them as ******** and a document sent back with the placeholder keeps
 * the stored password.
 */
export function redactConnectionSecrets<T>(document: T): T {
  return mapSections(document, undefined, (value) => withPassword(value, (pw) => (pw === '' ? undefined : REDACTED)))
}

/** The placeholder in an incoming document's URLs replaced by the password stored at the same place. */
export function restoreConnectionSecrets<T>(document: T, current: unknown): T {
  return mapSections(document, current, (value, stored) =>
    withPassword(value, (pw) => (pw === REDACTED || pw === encodeURIComponent(REDACTED) ? (typeof stored === 'string' ? passwordOf(stored) : undefined) ?? pw : undefined))
  )
}

function mapSections<T>(document: T, current: unknown, fn: (value: string, stored: unknown) => string): T {
  if (document === null || typeof document !== 'object') return document
  const out: Record<string, unknown> = { ...(document as Record<string, unknown>) }
  for (const section of SECTIONS) {
    const part = out[section] as { config?: unknown } | undefined
    if (part === null || typeof part !== 'object' || part.config === null || typeof part.config !== 'object') continue
    const storedPart = (current as Record<string, { config?: unknown }> | undefined)?.[section]?.config
    out[section] = { ...part, config: walk(part.config, storedPart, fn) }
  }
  return out as T
}

function walk(value: unknown, stored: unknown, fn: (value: string, stored: unknown) => string): unknown {
  if (typeof value === 'string') return fn(value, stored)
  if (Array.isArray(value)) return value.map((v, i) => walk(v, Array.isArray(stored) ? stored[i] : undefined, fn))
  if (value !== null && typeof value === 'object') {
    const rec = stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : undefined
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, rec?.[k], fn)]))
  }
  return value
}

/** `value` with its URL password replaced by `next(password)` (unchanged when it returns undefined or there is none). */
function withPassword(value: string, next: (password: string) => string | undefined): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:)([^@/?#]*)(@.*)$/i.exec(value)
  if (m === null) return value
  const replaced = next(decodeSafe(m[2]!))
  return replaced === undefined ? value : `${m[1]}${replaced === REDACTED ? REDACTED : encodeURIComponent(replaced)}${m[3]}`
}

function passwordOf(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^@/?#]*)@/i.exec(value)
  return m === null ? undefined : decodeSafe(m[1]!)
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Any value (a diff's before/after) with the passwords of its URLs redacted. */
export function redactUrlPasswords(value: unknown): unknown {
  return walk(value, undefined, (v) => withPassword(v, (pw) => (pw === '' ? undefined : REDACTED)))
}
