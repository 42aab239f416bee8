/**
 * Compares strings by Unicode code point, which is the order of their UTF-8
 * bytes and so of SQL's binary collation: monitor ids list in the same order
 * here as in the SQLite and PostgreSQL stores. Plain `<` compares UTF-16 code
 * units, which puts astral characters (surrogate pairs, 0xD800-0xDFFF) before
 * U+E000-U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return rank(x) - rank(y)
  }
  return a.length - b.length
}

// At the first differing unit a surrogate always starts a code point above
// U+FFFF, so lifting surrogates above every other unit restores code point order.
function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit
}
