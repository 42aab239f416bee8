import { createPatch } from 'rfc6902'
import type { VedetteConfigInput } from '../config/types.js'

/** One difference between two config versions, as an RFC 6902 operation with the old value. */
export interface ConfigDiffEntry {
  op: 'add' | 'remove' | 'replace'
  /** JSON pointer; monitors are addressed by id (`/monitors/api-health/interval`), not by position. */
  path: string
  from?: unknown
  to?: unknown
}

/**
 * Differences between two documents. Monitors are keyed by id before
 * comparing, so inserting one monitor reads as one `add`, not as every later
 * monitor being replaced by its neighbour.
 */
export function diffConfigs(a: VedetteConfigInput, b: VedetteConfigInput): ConfigDiffEntry[] {
  const left = byId(a)
  const right = byId(b)
  return createPatch(left, right).flatMap((op): ConfigDiffEntry[] => {
    if (op.op === 'add') return [{ op: 'add', path: op.path, to: op.value }]
    if (op.op === 'remove') return [{ op: 'remove', path: op.path, from: valueAt(left, op.path) }]
    if (op.op === 'replace') return [{ op: 'replace', path: op.path, from: valueAt(left, op.path), to: op.value }]
    return []
  })
}

/** A one-line summary of a diff, for history entries. */
export function summarizeDiff(entries: readonly ConfigDiffEntry[]): string {
  if (entries.length === 0) return 'no changes'
  const monitors = { added: new Set<string>(), removed: new Set<string>(), changed: new Set<string>() }
  const settings = new Set<string>()
  for (const e of entries) {
    const parts = e.path.split('/').slice(1)
    if (parts[0] === 'monitors' && parts[1] !== undefined) {
      const id = parts[1].replace(/~1/g, '/').replace(/~0/g, '~')
      if (parts.length === 2) (e.op === 'add' ? monitors.added : e.op === 'remove' ? monitors.removed : monitors.changed).add(id)
      else monitors.changed.add(id)
    } else settings.add(parts[0] ?? '')
  }
  const out: string[] = []
  if (monitors.added.size) out.push(`added ${list(monitors.added)}`)
  if (monitors.changed.size) out.push(`changed ${list(monitors.changed)}`)
  if (monitors.removed.size) out.push(`removed ${list(monitors.removed)}`)
  if (settings.size) out.push(`settings: ${[...settings].join(', ')}`)
  return out.join('; ')
}

function list(ids: Set<string>): string {
  const all = [...ids]
  return all.length <= 5 ? all.join(', ') : `${all.slice(0, 5).join(', ')} and ${all.length - 5} more monitors`
}

function byId(doc: VedetteConfigInput): Record<string, unknown> {
  const { monitors, ...rest } = doc
  return { ...rest, monitors: Object.fromEntries((monitors ?? []).map((m) => [m.id, m])) }
}

function valueAt(doc: unknown, pointer: string): unknown {
  let at: unknown = doc
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined
  }
  return at
}
