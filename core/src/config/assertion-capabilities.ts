import { isAndAssertion, isNotAssertion, isOrAssertion } from '@vedette/sdk'
import type { AssertionNode } from '@vedette/sdk'
import type { CheckSchemaInfo } from './config-schema.js'

/**
 * What an assertion reads that this check type cannot give: `json` on a TCP
 * check, `tls.daysUntilExpiry` on a DNS check. Latency is always there; the
 * rest must be a declared observation or a declared raw response part. A
 * check that declares no observations at all is not judged (nothing to go by).
 */
export function assertionCapabilityProblem(node: AssertionNode, check: CheckSchemaInfo): string | undefined {
  if (isAndAssertion(node)) return firstProblem(node.and, check)
  if (isOrAssertion(node)) return firstProblem(node.or, check)
  if (isNotAssertion(node)) return assertionCapabilityProblem(node.not, check)
  if (check.observations === undefined) return undefined
  const { source } = node
  if (source === 'latency' || source.startsWith('latency.')) return undefined
  const context = check.assertionContext ?? []
  const observations = Object.keys(check.observations)
  const missing = (what: string): string =>
    `a ${check.type} check does not report ${what}; it reports latency${observations.length > 0 ? `, ${observations.join(', ')}` : ''}${context.length > 0 ? ` and the response ${context.join(' and ')}` : ''}`
  if (source === 'status') return check.observations.statusCode === undefined ? missing('an HTTP status') : undefined
  if (source.startsWith('header.')) return context.includes('headers') ? undefined : missing('response headers')
  if (source === 'body' || source === 'body.regex' || source === 'json') return context.includes('body') ? undefined : missing('a response body')
  const name = source.replace(/^(obs|tls|dns|tcp)\./, '')
  return check.observations[name] === undefined && check.observations[source] === undefined ? missing(`'${name}'`) : undefined
}

function firstProblem(nodes: readonly AssertionNode[], check: CheckSchemaInfo): string | undefined {
  for (const n of nodes) {
    const p = assertionCapabilityProblem(n, check)
    if (p !== undefined) return p
  }
  return undefined
}
