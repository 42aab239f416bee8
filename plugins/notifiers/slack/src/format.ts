import type { NotificationAssertion } from '@vedette/sdk'

// Text pieces every chat notifier shows the same way.

/** A chat message lists at most this many alerts, then "and N more". */
export const MAX_LISTED_ALERTS = 20
/** Failed assertions shown per alert. */
export const MAX_LISTED_ASSERTIONS = 5

/** The first `max` items and how many were left out. */
export function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) }
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** `status in 200..299 (expected 200..299, got 503)`. */
export function describeAssertion(a: NotificationAssertion): string {
  const parts: string[] = []
  if (a.expected !== undefined) parts.push(`expected ${formatValue(a.expected)}`)
  if (a.actual !== undefined) parts.push(`got ${formatValue(a.actual)}`)
  return parts.length === 0 ? a.assertion : `${a.assertion} (${parts.join(', ')})`
}

function formatValue(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return clip(text.replace(/\s+/g, ' '), 80)
}

/** `4m 12s`, `2h 5m`: how long an alert has been (or was) open. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h ${m % 60}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}
