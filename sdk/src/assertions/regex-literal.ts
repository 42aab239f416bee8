/**
 * Regular expressions travel as strings in the tree. A plain string is the
 * pattern itself (what people write in JSON/YAML); `/pattern/flags` is kept
 * whole only when flags are needed, since JS has no inline flags.
 */
const LITERAL = /^\/(.*)\/([dgimsuvy]*)$/s

/** Compiles a tree regex string; throws a SyntaxError from RegExp when invalid. */
export function compileRegex(text: string): RegExp {
  const m = LITERAL.exec(text)
  // `g`/`y` would make `test` stateful across calls, so they are dropped.
  if (m !== null && text.length > 1) return new RegExp(m[1] ?? '', (m[2] ?? '').replace(/[gy]/g, ''))
  return new RegExp(text)
}

/** The one-line spelling of a tree regex string: always `/.../flags`. */
export function formatRegex(text: string): string {
  if (LITERAL.test(text) && text.length > 1) return text
  return `/${escapeSlashes(text)}/`
}

function escapeSlashes(pattern: string): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '')
      i++
      continue
    }
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    else if (c === '/' && !inClass) {
      out += '\\/'
      continue
    }
    out += c
  }
  return out
}
