import { isAndAssertion, isNotAssertion, isOrAssertion, UNARY_OPERATORS } from './assertion-types.js'
import type { Assertion, AssertionNode } from './assertion-types.js'
import { formatRegex } from './regex-literal.js'

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/
const BARE = /^[^\s,()"'/[{][^\s,()]*$/

/**
 * Writes a node in its one-line form; `parseAssertion` reads it back to the
 * same tree (regex strings may gain `\/` escapes, which mean the same).
 *
 * @example
 * formatAssertion({ source: 'latency', op: '<', target: '2s', severity: 'warning' }) // 'latency < 2s warning'
 */
export function formatAssertion(node: AssertionNode): string {
  const severity = node.severity === undefined ? '' : ` ${node.severity}`
  if (isAndAssertion(node)) return `and(${node.and.map(formatAssertion).join(', ')})${severity}`
  if (isOrAssertion(node)) return `or(${node.or.map(formatAssertion).join(', ')})${severity}`
  if (isNotAssertion(node)) return `not(${formatAssertion(node.not)})${severity}`
  return formatLeaf(node) + severity
}

function formatLeaf(node: Assertion): string {
  const parts = [node.source]
  if (node.path !== undefined) parts.push(node.source === 'body.regex' ? formatRegex(node.path) : node.path)
  if (node.quantifier !== undefined) parts.push(node.quantifier)
  parts.push(node.op)
  if (!UNARY_OPERATORS.has(node.op)) {
    parts.push(node.op === 'matches' && typeof node.target === 'string' ? formatRegex(node.target) : formatTarget(node.target))
  }
  return parts.join(' ')
}

/** A target as the parser will read it back: bare when unambiguous, else JSON. */
export function formatTarget(target: unknown): string {
  if (typeof target === 'string') {
    const bare = BARE.test(target) && !NUMBER.test(target) && target !== 'true' && target !== 'false' && target !== 'null'
    return bare ? target : JSON.stringify(target)
  }
  if (target === undefined) return 'null'
  return JSON.stringify(target) ?? 'null'
}
