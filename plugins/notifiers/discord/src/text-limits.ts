/**
 * Cuts `text` to at most `max` UTF-16 units (what JavaScript and Discord
 * count), ending with `…` when cut, never splitting a surrogate pair.
 *
 * @example
 * truncate('abcdef', 4) // 'abc…'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 0) return ''
  let end = max - 1
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return `${text.slice(0, end)}…`
}

/**
 * Escapes Discord markdown in names that come from config or checks (a
 * monitor called `api_v2_health` must not turn italic). Mentions stay inert
 * anyway: every message sets `allowed_mentions.parse` to `[]`.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>[\]])/g, '\\$1')
}
