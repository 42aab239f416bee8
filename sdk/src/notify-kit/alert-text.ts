import type { NotificationAlert, NotificationAssertion, NotificationEvent } from '../notifier.js'

// Text pieces every notifier shows the same way, whatever its markup.

/** A message lists at most this many alerts of a grouped notification, then "and N more". */
export const MAX_LISTED_ALERTS = 20
/** Failed assertions shown per alert. */
export const MAX_LISTED_ASSERTIONS = 5

/**
 * The first `max` items and how many were left out.
 *
 * @example
 * capped([1, 2, 3], 2) // { shown: [1, 2], more: 1 }
 */
export function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) }
}

/**
 * `text` cut to at most `max` UTF-16 units (what JavaScript and every
 * provider's limit count), ending with `…` when cut, never splitting a
 * surrogate pair.
 *
 * @example
 * clip('abcdef', 4) // 'abc…'
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 0) return ''
  let end = max - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/** How an alert is named: its monitor's name, or the monitor id when the name is blank. */
export function alertName(alert: NotificationAlert): string {
  return alert.monitorName.trim() === '' ? alert.monitorId : alert.monitorName
}

/**
 * The facts of an alert as flat strings, for providers that keep key-value
 * details with an incident (Opsgenie `details`, PagerDuty `custom_details`),
 * so every notifier names them alike. Times are ISO 8601.
 *
 * @example
 * alertFacts('firing', alert) // { event: 'firing', monitorId: 'monitor-1', ..., startedAt: '2025-01-15T09:30:00.000Z' }
 */
export function alertFacts(event: NotificationEvent, alert: NotificationAlert): Record<string, string> {
  return {
    event,
    monitorId: alert.monitorId,
    monitorName: alert.monitorName,
    monitorStatus: alert.monitorStatus,
    severity: alert.severity,
    ruleId: alert.ruleId,
    alertId: alert.id,
    startedAt: new Date(alert.startedAt).toISOString()
  }
}

/**
 * One failed assertion on one line.
 *
 * @example
 * describeAssertion({ assertion: 'status in 200..299', expected: '200..299', actual: 503, severity: 'critical' })
 * // 'status in 200..299 (expected 200..299, got 503)'
 */
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

/**
 * How long an alert has been (or was) open.
 *
 * @example
 * formatDuration(252_000) // '4m 12s'
 * formatDuration(7_500_000) // '2h 5m'
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h ${m % 60}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}
