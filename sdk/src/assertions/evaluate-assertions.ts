import type { ObservationValue } from '../check-result.js'
import { formatAssertion } from './assertion-format.js'
import { applyOperator } from './assertion-operators.js'
import { isAndAssertion, isNotAssertion, isOrAssertion, UNARY_OPERATORS } from './assertion-types.js'
import type { Assertion, AssertionNode, AssertionReport, AssertionResult, AssertionSeverity, AssertionSubject } from './assertion-types.js'
import { readSource } from './assertion-values.js'
import { jsonPreview } from './json-preview.js'

const MISSING = '(missing)'
const RANK: Record<AssertionSeverity, number> = { warning: 1, critical: 2 }

interface Outcome {
  pass: boolean
  severity: AssertionSeverity
}

/**
 * Evaluates a monitor's assertions against one check's response. Never throws:
 * anything unreadable is a failed assertion with the reason as `actual`.
 *
 * Only top-level nodes decide the status; a child that fails inside an `or`
 * that passes costs nothing. Severity: a node's own, else its group's, else
 * `critical`; a group without one fails as badly as the children that made it
 * fail (`and`: the worst failed child, `or`: the mildest child, `not`: its child).
 *
 * @example
 * evaluateAssertions([parseAssertion('status in 200..299')], { statusCode: 503, latencyMs: 12 }).status // 'down'
 */
export function evaluateAssertions(nodes: readonly AssertionNode[], subject: AssertionSubject): AssertionReport {
  const results: AssertionResult[] = []
  let status: AssertionReport['status'] = 'up'
  for (const node of nodes) {
    const outcome = evaluateNode(node, subject, undefined, 0, results)
    if (outcome.pass) continue
    if (outcome.severity === 'critical') status = 'down'
    else if (status === 'up') status = 'degraded'
  }
  return { status, results }
}

function evaluateNode(
  node: AssertionNode,
  subject: AssertionSubject,
  inherited: AssertionSeverity | undefined,
  depth: number,
  results: AssertionResult[]
): Outcome {
  if (!isAndAssertion(node) && !isOrAssertion(node) && !isNotAssertion(node)) {
    const severity = node.severity ?? inherited ?? 'critical'
    const { pass, actual } = evaluateLeaf(node, subject)
    results.push({ expr: formatAssertion(node), pass, actual, expected: expectedOf(node), severity, depth })
    return { pass, severity }
  }
  // Reserve the group's slot so it is listed before its children.
  const index = results.push({ expr: formatAssertion(node), pass: false, actual: null, expected: null, severity: 'critical', depth }) - 1
  const childDefault = node.severity ?? inherited
  const children = isNotAssertion(node) ? [node.not] : isAndAssertion(node) ? node.and : node.or
  const outcomes = children.map((child) => evaluateNode(child, subject, childDefault, depth + 1, results))
  const passed = outcomes.filter((o) => o.pass).length
  let pass: boolean
  let derived: AssertionSeverity
  let expected: string
  if (isNotAssertion(node)) {
    pass = passed === 0
    derived = outcomes[0]?.severity ?? 'critical'
    expected = 'to fail'
  } else if (isAndAssertion(node)) {
    pass = passed === outcomes.length
    derived = worst(outcomes.filter((o) => !o.pass))
    expected = `${outcomes.length}/${outcomes.length} passed`
  } else {
    pass = passed > 0
    derived = mildest(outcomes)
    expected = 'at least 1 passed'
  }
  const severity = node.severity ?? (pass ? childDefault ?? 'critical' : derived)
  const actual = isNotAssertion(node) ? (passed === 0 ? 'failed' : 'passed') : `${passed}/${outcomes.length} passed`
  results[index] = { expr: formatAssertion(node), pass, actual, expected, severity, depth }
  return { pass, severity }
}

function evaluateLeaf(node: Assertion, subject: AssertionSubject): { pass: boolean; actual: ObservationValue } {
  const read = readSource(node, subject)
  if (read.problem !== undefined) return { pass: false, actual: read.problem }
  // An empty node list is a real answer to `json ... empty`, not a missing value.
  const emptiness = node.op === 'empty' || node.op === '!empty'
  if (!read.found && !(node.source === 'json' && emptiness && subject.body !== undefined)) {
    return { pass: node.op === '!exists', actual: MISSING }
  }
  if (node.quantifier === undefined) return { pass: applyOperator(node.op, read.value, node.target), actual: jsonPreview(read.value) }
  const list = read.list ?? (Array.isArray(read.value) ? read.value : [read.value])
  const hits = list.filter((item) => applyOperator(node.op, item, node.target)).length
  // `all` over nothing fails: an API that suddenly returns no items should not
  // satisfy "every item is ok".
  const pass = node.quantifier === 'any' ? hits > 0 : list.length > 0 && hits === list.length
  return { pass, actual: jsonPreview(read.value) }
}

function expectedOf(node: Assertion): ObservationValue {
  const prefix = node.quantifier === undefined ? '' : `${node.quantifier} `
  if (UNARY_OPERATORS.has(node.op)) return `${prefix}${node.op}`
  if (node.op === '==' && prefix === '') return jsonPreview(node.target)
  const target = jsonPreview(node.target)
  return `${prefix}${node.op} ${typeof target === 'string' ? target : JSON.stringify(target)}`
}

function worst(outcomes: Outcome[]): AssertionSeverity {
  return outcomes.some((o) => o.severity === 'critical') || outcomes.length === 0 ? 'critical' : 'warning'
}

function mildest(outcomes: Outcome[]): AssertionSeverity {
  return outcomes.reduce<AssertionSeverity>((m, o) => (RANK[o.severity] < RANK[m] ? o.severity : m), 'critical')
}
