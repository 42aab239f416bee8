import parseJsonPath from 'jsonpath-rfc9535/parser'
import { AssertionUnknownOperatorError, AssertionUnknownSourceError, InvalidAssertionError } from './assertion-errors.js'
import { RANGE, parseAssertion } from './assertion-parser.js'
import { pathKind, sourceProblem } from './assertion-source.js'
import { ASSERTION_OPERATORS, UNARY_OPERATORS } from './assertion-types.js'
import type { Assertion, AssertionNode, AssertionOperator, AssertionSeverity } from './assertion-types.js'
import { compileRegex } from './regex-literal.js'

const LEAF_KEYS = new Set(['source', 'path', 'op', 'target', 'quantifier', 'severity'])
const RANGE_BOUND = /^-?\d+(?:\.\d+)?(?:ms|s|m|h)?$/

/**
 * Turns a monitor's `assertions` (one-line strings and/or objects) into
 * validated trees, so bad config fails when it is applied, not on every run.
 * Errors name the offending entry, e.g. `assertions[2].and[0]`.
 *
 * @example
 * normalizeAssertions(['status in 200..299', { source: 'latency', op: '<', target: '2s' }])
 */
export function normalizeAssertions(input: ReadonlyArray<string | object>): AssertionNode[] {
  if (!Array.isArray(input)) throw new InvalidAssertionError('assertions', 'must be an array')
  return input.map((entry, i) => normalizeEntry(entry, `assertions[${i}]`))
}

function normalizeEntry(entry: unknown, label: string): AssertionNode {
  if (typeof entry === 'string') return parseAssertion(entry, label)
  return validateNode(entry, label)
}

function validateNode(value: unknown, label: string): AssertionNode {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidAssertionError(label, 'must be a string or an object')
  }
  const obj = value as Record<string, unknown>
  const severity = validateSeverity(obj['severity'], label)
  const groupKeys = ['and', 'or', 'not'].filter((k) => k in obj)
  if (groupKeys.length > 0) {
    const [kind] = groupKeys
    const extra = Object.keys(obj).filter((k) => k !== kind && k !== 'severity')
    if (groupKeys.length > 1 || extra.length > 0) {
      throw new InvalidAssertionError(label, `a group has exactly one of and/or/not (and an optional severity), found ${Object.keys(obj).join(', ')}`)
    }
    const withSeverity = <T extends AssertionNode>(node: T): T => (severity === undefined ? node : { ...node, severity })
    if (kind === 'not') return withSeverity({ not: normalizeEntry(obj['not'], `${label}.not`) })
    const children = obj[kind as string]
    if (!Array.isArray(children) || children.length === 0) throw new InvalidAssertionError(label, `'${kind}' must be a non-empty array`)
    const nodes = children.map((child: unknown, i) => normalizeEntry(child, `${label}.${kind}[${i}]`))
    return withSeverity(kind === 'and' ? { and: nodes } : { or: nodes })
  }
  return validateLeaf(obj, label, severity)
}

function validateLeaf(obj: Record<string, unknown>, label: string, severity: AssertionSeverity | undefined): Assertion {
  const unknownKeys = Object.keys(obj).filter((k) => !LEAF_KEYS.has(k))
  if (unknownKeys.length > 0) throw new InvalidAssertionError(label, `unknown key(s) ${unknownKeys.join(', ')}; expected ${[...LEAF_KEYS].join(', ')}`)
  const { source, path, op, target, quantifier } = obj
  if (typeof source !== 'string') throw new InvalidAssertionError(label, "'source' must be a string")
  const problem = sourceProblem(source)
  if (problem !== undefined) throw new AssertionUnknownSourceError(label, source, problem)
  if (typeof op !== 'string' || !(ASSERTION_OPERATORS as readonly string[]).includes(op)) {
    throw new AssertionUnknownOperatorError(label, String(op), ASSERTION_OPERATORS.join(' '))
  }
  const node: Assertion = { source, op: op as AssertionOperator }
  const kind = pathKind(source)
  if (kind === undefined && path !== undefined) throw new InvalidAssertionError(label, `'path' is only used by the json and body.regex sources`)
  if (kind !== undefined) {
    if (typeof path !== 'string' || path === '') throw new InvalidAssertionError(label, `source '${source}' needs a 'path' (${kind === 'jsonpath' ? 'a JSONPath' : 'a regular expression'})`)
    checkPath(kind, path, label)
    node.path = path
  }
  if (quantifier !== undefined) {
    if (quantifier !== 'any' && quantifier !== 'all') throw new InvalidAssertionError(label, "'quantifier' must be any or all")
    node.quantifier = quantifier
  }
  if (UNARY_OPERATORS.has(node.op)) {
    if (target !== undefined) throw new InvalidAssertionError(label, `'${op}' takes no target`)
  } else {
    node.target = validateTarget(node.op, target, label)
  }
  if (severity !== undefined) node.severity = severity
  return node
}

function checkPath(kind: 'jsonpath' | 'regex', path: string, label: string): void {
  try {
    if (kind === 'jsonpath') parseJsonPath(path)
    else compileRegex(path)
  } catch (err) {
    throw new InvalidAssertionError(label, `invalid ${kind === 'jsonpath' ? 'JSONPath' : 'regular expression'} ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err })
  }
}

function validateTarget(op: AssertionOperator, target: unknown, label: string): unknown {
  if (target === undefined) throw new InvalidAssertionError(label, `'${op}' needs a target`)
  if (op === 'in') {
    // `[200, 299]` reads naturally in YAML; the tree keeps the one spelling `200..299`.
    if (Array.isArray(target) && target.length === 2 && target.every((b) => RANGE_BOUND.test(String(b)))) return `${target[0]}..${target[1]}`
    if (typeof target !== 'string' || !RANGE.test(target)) throw new InvalidAssertionError(label, "'in' needs a range like 200..299 or [200, 299]")
    return target
  }
  if (op === 'matches') {
    if (typeof target !== 'string') throw new InvalidAssertionError(label, "'matches' needs a regular expression string")
    checkPath('regex', target, label)
  }
  return target
}

function validateSeverity(value: unknown, label: string): AssertionSeverity | undefined {
  if (value === undefined || value === 'critical' || value === 'warning') return value
  throw new InvalidAssertionError(label, "'severity' must be critical or warning")
}
