/**
 * Escapes text for Telegram's HTML parse mode: `&`, `<` and `>` everywhere,
 * and `"` so the same function is safe inside an `href`.
 * https://core.telegram.org/bots/api#html-style
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * Escapes `text` and cuts it so the escaped result, with a trailing `…` when
 * cut, is at most `max` characters — cutting the raw text, so an entity like
 * `&amp;` or a surrogate pair is never split.
 *
 * @example
 * escapeAndCut('a & b', 6) // 'a …' (never a broken 'a &am…')
 */
export function escapeAndCut(text: string, max: number): string {
  const escaped = escapeHtml(text)
  if (escaped.length <= max) return escaped
  if (max <= 0) return ''
  let out = ''
  for (const char of text) {
    const piece = escapeHtml(char)
    if (out.length + piece.length + 1 > max) break
    out += piece
  }
  return `${out}…`
}
