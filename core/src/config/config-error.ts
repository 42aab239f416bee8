import { parsePointer } from './json-pointer.js'

/** One problem in a config document, ready to show to a person or return from the API. */
export interface ConfigError {
  /** JSON pointer to the value, e.g. `/monitors/0/config/url`; for a missing property, where it belongs. */
  pointer: string
  /** 1-based position in the source text when the document came from a file or text. */
  line?: number
  column?: number
  /** What is wrong, phrased to follow the pointer: `must be a string (got 42)`. */
  message: string
  /** What would have been accepted, e.g. `a string` or `one of "http", "tcp"`. */
  expected?: string
}

/**
 * One line per error, in document order, in the `file:line:column` form that
 * editors and terminals turn into links.
 *
 * @example
 * formatConfigErrors(errors, 'vedette.yaml')
 * // vedette.yaml:7:5 /monitors/0/interval: must be a duration like 30s or 5m (got "30 parsecs")
 */
export function formatConfigErrors(errors: readonly ConfigError[], filename: string): string {
  return sortConfigErrors(errors)
    .map((e) => {
      const where = e.line === undefined ? filename : `${filename}:${e.line}:${e.column ?? 1}`
      return `${where} ${e.pointer === '' ? '(document)' : e.pointer}: ${e.message}`
    })
    .join('\n')
}

/** Document order: by position when known, else by pointer with list indexes compared as numbers. */
export function sortConfigErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => {
    if (a.line !== undefined && b.line !== undefined && (a.line !== b.line || a.column !== b.column)) {
      return a.line - b.line || (a.column ?? 0) - (b.column ?? 0)
    }
    return comparePointers(a.pointer, b.pointer)
  })
}

function comparePointers(a: string, b: string): number {
  const ta = parsePointer(a)
  const tb = parsePointer(b)
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i] as string
    const y = tb[i] as string
    if (x === y) continue
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y)
    return x < y ? -1 : 1
  }
  return ta.length - tb.length
}
