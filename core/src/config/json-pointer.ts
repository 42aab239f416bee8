// RFC 6901 JSON pointers: how config errors name the value they are about
// (`/monitors/0/config/url`), the same form ajv uses for `instancePath`.

/** Escapes one reference token (`a/b` → `a~1b`). */
export function escapeToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Splits a pointer into unescaped tokens; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new TypeError(`JSON pointer must be empty or start with '/': ${pointer}`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Appends tokens to a pointer, escaping them. */
export function joinPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapeToken(t)}`).join('')
}
