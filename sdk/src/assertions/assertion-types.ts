import type { ObservationValue, Observations, PhaseTimings } from '../check-result.js'

/** How bad a failing assertion is: `critical` takes the monitor down, `warning` degrades it. */
export type AssertionSeverity = 'critical' | 'warning'

/** Applies an operator to every value of a list (`any` = at least one, `all` = every one). */
export type AssertionQuantifier = 'any' | 'all'

export type AssertionOperator =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | '!contains'
  | 'matches'
  | 'exists'
  | '!exists'
  | 'empty'
  | '!empty'
  | 'in'

/** Operators in the order error messages list them. */
export const ASSERTION_OPERATORS: readonly AssertionOperator[] = [
  '==', '!=', '<', '<=', '>', '>=', 'contains', '!contains', 'matches', 'exists', '!exists', 'empty', '!empty', 'in'
]

/** Operators that take no target. */
export const UNARY_OPERATORS: ReadonlySet<AssertionOperator> = new Set(['exists', '!exists', 'empty', '!empty'])

/**
 * One check on one value of a result.
 *
 * @example
 * { source: 'json', path: '$.items[*].ok', op: '==', target: true, quantifier: 'all' }
 */
export interface Assertion {
  /** `status`, `latency`, `latency.<phase>`, `header.<name>`, `body`, `body.regex`, `json`, `tls.<fact>`, `dns.<fact>`, `tcp.<fact>`, `obs.<name>` or a bare observation name. */
  source: string
  /** The JSONPath for `json`, the regular expression for `body.regex`; unused by other sources. */
  path?: string
  op: AssertionOperator
  /** Compared value. Durations (`200ms`, `2s`) and ranges (`200..299`, for `in`) stay strings as written. */
  target?: unknown
  quantifier?: AssertionQuantifier
  severity?: AssertionSeverity
}

export interface AndAssertion {
  and: AssertionNode[]
  severity?: AssertionSeverity
}

export interface OrAssertion {
  or: AssertionNode[]
  severity?: AssertionSeverity
}

export interface NotAssertion {
  not: AssertionNode
  severity?: AssertionSeverity
}

export type AssertionGroup = AndAssertion | OrAssertion | NotAssertion
export type AssertionNode = Assertion | AssertionGroup

/** Header values as Node gives them (`IncomingHttpHeaders`) or as a plain record. */
export type AssertionHeaders = Record<string, string | string[] | number | undefined>

/** What assertions are evaluated against: one check's response and observations. */
export interface AssertionSubject {
  statusCode?: number
  latencyMs: number
  phases?: PhaseTimings
  headers?: AssertionHeaders
  body?: string
  observations?: Observations
}

export interface AssertionResult {
  /** The assertion in its one-line form. */
  expr: string
  pass: boolean
  /** What was found, JSON-safe and cut to about 200 characters. */
  actual: ObservationValue
  /** What was wanted, JSON-safe and cut to about 200 characters. */
  expected: ObservationValue
  severity: AssertionSeverity
  /** 0 for a top-level assertion, 1 for a child of a group, and so on; lets a UI indent. */
  depth: number
}

export interface AssertionReport {
  /** `down` if a critical assertion failed, else `degraded` if a warning one did, else `up`. */
  status: 'up' | 'degraded' | 'down'
  /** Every node, groups before their children. */
  results: AssertionResult[]
}

export function isAndAssertion(node: AssertionNode): node is AndAssertion {
  return 'and' in node
}
export function isOrAssertion(node: AssertionNode): node is OrAssertion {
  return 'or' in node
}
export function isNotAssertion(node: AssertionNode): node is NotAssertion {
  return 'not' in node
}
export function isAssertionGroup(node: AssertionNode): node is AssertionGroup {
  return isAndAssertion(node) || isOrAssertion(node) || isNotAssertion(node)
}
