import parseJsonPath from 'jsonpath-rfc9535/parser'
import { AssertionSyntaxError } from './assertion-errors.js'
import { pathKind, SOURCE_HINT, sourceProblem } from './assertion-source.js'
import { ASSERTION_OPERATORS, UNARY_OPERATORS } from './assertion-types.js'
import type { Assertion, AssertionNode, AssertionOperator, AssertionSeverity } from './assertion-types.js'
import { compileRegex } from './regex-literal.js'

const OPERATOR_HINT = `an operator (${ASSERTION_OPERATORS.join(' ')})`
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/
const BOUND = String.raw`-?\d+(?:\.\d+)?(?:ms|s|m|h)?`
/** `200..299` or `100ms..2s`: both ends inclusive. */
export const RANGE = new RegExp(`^(${BOUND})\\.\\.(${BOUND})$`)

/**
 * Parses the one-line form into the tree form.
 *
 * Grammar (our own, so a small hand-written parser rather than a generator):
 *   node     := group | leaf, then an optional severity (`critical` | `warning`)
 *   group    := (`and` | `or`) `(` node (`,` node)* `)` | `not(` node `)`
 *   leaf     := source [path] [`any` | `all`] operator [target]
 *   path     := a JSONPath (`$...`) for `json`, a `/regex/` for `body.regex`
 *   target   := number | true | false | null | "string" | 'string' | /regex/ | [json] | {json} | bare-word
 * Durations (`2s`) and ranges (`200..299`) are bare words kept as strings.
 *
 * @example
 * parseAssertion('latency < 2s warning') // { source: 'latency', op: '<', target: '2s', severity: 'warning' }
 * @param label names the assertion in errors, e.g. `assertions[3]`.
 */
export function parseAssertion(text: string, label = 'assertion'): AssertionNode {
  return new AssertionParser(text, label).parse()
}

class AssertionParser {
  readonly #text: string
  readonly #label: string
  #pos = 0
  // Inside a group `,` and `)` end bare words; outside they are ordinary characters.
  #depth = 0

  constructor(text: string, label: string) {
    this.#text = text
    this.#label = label
  }

  parse(): AssertionNode {
    const node = this.#node()
    this.#skipSpace()
    if (this.#pos < this.#text.length) this.#fail('end of input or a severity (critical warning)')
    return node
  }

  #node(): AssertionNode {
    this.#skipSpace()
    const group = this.#take(/^(and|or|not)\s*\(/)
    const node = group === undefined ? this.#leaf() : this.#group(group.startsWith('not') ? 'not' : group.startsWith('and') ? 'and' : 'or')
    this.#skipSpace()
    const severity = this.#take(/^(critical|warning)(?=$|[\s,)])/) as AssertionSeverity | undefined
    if (severity !== undefined) node.severity = severity
    return node
  }

  #group(kind: 'and' | 'or' | 'not'): AssertionNode {
    this.#depth++
    const children: AssertionNode[] = []
    for (;;) {
      children.push(this.#node())
      this.#skipSpace()
      const c = this.#text[this.#pos]
      if (c === ')') break
      if (c === ',' && kind !== 'not') {
        this.#pos++
        continue
      }
      this.#fail(kind === 'not' ? '")"' : '"," or ")"')
    }
    this.#pos++
    this.#depth--
    if (kind === 'not') return { not: children[0] as AssertionNode }
    return kind === 'and' ? { and: children } : { or: children }
  }

  #leaf(): Assertion {
    const start = this.#pos
    const source = this.#take(/^[A-Za-z_][\w.-]*/)
    if (source === undefined || sourceProblem(source) !== undefined) {
      this.#pos = start
      this.#fail(`a source (${SOURCE_HINT})`)
    }
    const node: Assertion = { source, op: '==' }
    const kind = pathKind(source)
    if (kind !== undefined) {
      this.#skipSpace()
      node.path = kind === 'jsonpath' ? this.#jsonPath() : this.#regexLiteral('a regular expression like /v(\\d+)/')
    }
    this.#skipSpace()
    const quantifier = this.#take(/^(any|all)(?=\s)/)
    if (quantifier === 'any' || quantifier === 'all') node.quantifier = quantifier
    this.#skipSpace()
    const opStart = this.#pos
    const op = this.#take(/^!?[A-Za-z]+/) ?? this.#take(/^[!=<>]+/)
    if (op === undefined || !(ASSERTION_OPERATORS as readonly string[]).includes(op)) {
      this.#pos = opStart
      this.#fail(OPERATOR_HINT)
    }
    node.op = op as AssertionOperator
    if (!UNARY_OPERATORS.has(node.op)) {
      this.#skipSpace()
      node.target = this.#target(node.op)
    }
    return node
  }

  #jsonPath(): string {
    const start = this.#pos
    if (this.#text[start] !== '$') this.#fail('a JSONPath starting with $')
    let depth = 0
    let quote: string | undefined
    let i = start
    for (; i < this.#text.length; i++) {
      const c = this.#text[i] as string
      if (quote !== undefined) {
        if (c === '\\') i++
        else if (c === quote) quote = undefined
        continue
      }
      if (c === '"' || c === "'") quote = c
      else if (c === '[' || c === '(') depth++
      else if (c === ']' || c === ')') {
        if (depth === 0) break
        depth--
      } else if (depth === 0 && (/\s/.test(c) || c === ',')) break
    }
    const path = this.#text.slice(start, i)
    try {
      parseJsonPath(path)
    } catch (err) {
      const offset = (err as { location?: { start?: { offset?: number } } }).location?.start?.offset ?? 0
      this.#pos = start + offset
      this.#fail('a valid RFC 9535 JSONPath', err)
    }
    this.#pos = i
    return path
  }

  /** Reads `/pattern/flags`; the tree keeps just the pattern unless flags are set. */
  #regexLiteral(expected: string): string {
    const start = this.#pos
    if (this.#text[start] !== '/') this.#fail(expected)
    let inClass = false
    let i = start + 1
    for (; i < this.#text.length; i++) {
      const c = this.#text[i]
      if (c === '\\') i++
      else if (c === '[') inClass = true
      else if (c === ']') inClass = false
      else if (c === '/' && !inClass) break
    }
    if (i >= this.#text.length) {
      this.#pos = this.#text.length
      this.#fail('a closing "/" for the regular expression')
    }
    const pattern = this.#text.slice(start + 1, i)
    this.#pos = i + 1
    const flags = this.#take(/^[a-z]+/) ?? ''
    const value = flags === '' ? pattern : `/${pattern}/${flags}`
    this.#checkRegex(value, start)
    return value
  }

  #target(op: AssertionOperator): unknown {
    const start = this.#pos
    const c = this.#text[start]
    const expected = op === 'in' ? 'a range like 200..299' : 'a target value'
    if (c === undefined || (this.#depth > 0 && (c === ',' || c === ')'))) this.#fail(expected)
    if (op === 'matches' && c === '/') return this.#regexLiteral('a regular expression')
    let value: unknown
    if (c === '"' || c === "'") value = this.#quoted(c)
    else if (c === '[' || c === '{') value = this.#json()
    else {
      const word = this.#take(this.#depth > 0 ? /^[^\s,)]+/ : /^\S+/) as string
      if (op === 'in') {
        if (!RANGE.test(word)) {
          this.#pos = start
          this.#fail(expected)
        }
        return word
      }
      value = NUMBER.test(word) ? Number(word) : word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : word
    }
    if (op === 'in') {
      this.#pos = start
      this.#fail(expected)
    }
    if (op === 'matches') {
      if (typeof value !== 'string') {
        this.#pos = start
        this.#fail('a regular expression or a string')
      }
      this.#checkRegex(value, start)
    }
    return value
  }

  #quoted(quote: string): string {
    const raw = this.#take(quote === '"' ? /^"(?:[^"\\]|\\.)*"/ : /^'(?:[^'\\]|\\.)*'/)
    if (raw === undefined) this.#fail(`a closing ${quote}`)
    if (quote === "'") return raw.slice(1, -1).replace(/\\(.)/g, '$1')
    try {
      return JSON.parse(raw) as string
    } catch (err) {
      return this.#fail('a valid string escape', err)
    }
  }

  /** A JSON array or object target, for deep equality. */
  #json(): unknown {
    const start = this.#pos
    let depth = 0
    let inString = false
    let i = start
    for (; i < this.#text.length; i++) {
      const c = this.#text[i]
      if (inString) {
        if (c === '\\') i++
        else if (c === '"') inString = false
      } else if (c === '"') inString = true
      else if (c === '[' || c === '{') depth++
      else if ((c === ']' || c === '}') && --depth === 0) break
    }
    try {
      const value: unknown = JSON.parse(this.#text.slice(start, i + 1))
      this.#pos = i + 1
      return value
    } catch (err) {
      return this.#fail('a JSON array or object', err)
    }
  }

  #checkRegex(value: string, at: number): void {
    try {
      compileRegex(value)
    } catch (err) {
      this.#pos = at
      this.#fail('a valid regular expression', err)
    }
  }

  #take(re: RegExp): string | undefined {
    const m = re.exec(this.#text.slice(this.#pos))
    if (m === null) return undefined
    this.#pos += m[0].length
    return m[0]
  }

  #skipSpace(): void {
    while (this.#pos < this.#text.length && /\s/.test(this.#text[this.#pos] as string)) this.#pos++
  }

  #fail(expected: string, cause?: unknown): never {
    const column = this.#pos + 1
    const token = /^\S{1,40}/.exec(this.#text.slice(this.#pos))?.[0]
    const found = token === undefined ? 'end of input' : JSON.stringify(token)
    const details = { column, expected, found, input: this.#text, ...(cause instanceof Error ? { reason: cause.message } : {}) }
    throw new AssertionSyntaxError(column, expected, found, this.#label, this.#text, { details, cause })
  }
}
