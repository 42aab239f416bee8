import type { ObservationValue } from '../check-result.js'

/** Results are stored and sent to notifiers, so values are capped: a 2 MB body must not ride along. */
export const PREVIEW_LIMIT = 200

/** A JSON-safe copy of `value` no longer than about {@link PREVIEW_LIMIT} characters. */
export function jsonPreview(value: unknown): ObservationValue {
  if (value === undefined) return null
  if (typeof value === 'string') return cut(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'boolean' || value === null) return value
  let text: string
  try {
    text = JSON.stringify(value) ?? 'null'
  } catch {
    return String(value)
  }
  return text.length > PREVIEW_LIMIT ? cut(text) : (JSON.parse(text) as ObservationValue)
}

function cut(text: string): string {
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text
}
