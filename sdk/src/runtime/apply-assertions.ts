import type { CheckOutcome, CheckStatus, ObservationValue } from '../check-result.js'
import { evaluateAssertions } from '../assertions/evaluate-assertions.js'
import { isAndAssertion, isNotAssertion, isOrAssertion } from '../assertions/assertion-types.js'
import type { AssertionNode } from '../assertions/assertion-types.js'

const RANK: Record<CheckStatus, number> = { up: 0, degraded: 1, down: 2, unknown: -1 }

/** Which raw material the assertions read, so a check only buffers what is needed. */
export function assertionWants(nodes: readonly AssertionNode[] | undefined): { body: boolean; headers: boolean } {
  const wants = { body: false, headers: false }
  const walk = (n: AssertionNode): void => {
    if (isAndAssertion(n)) n.and.forEach(walk)
    else if (isOrAssertion(n)) n.or.forEach(walk)
    else if (isNotAssertion(n)) walk(n.not)
    else if (n.source === 'body' || n.source === 'body.regex' || n.source === 'json') wants.body = true
    else if (n.source.startsWith('header.')) wants.headers = true
  }
  nodes?.forEach(walk)
  return wants
}

/**
 * Judges an outcome by the monitor's assertions: every result is kept in the
 * observation `assertions` (stored and shown by the API); a failed critical
 * assertion makes the run down, a warning one degraded, never better than the
 * check said. An `unknown` outcome (plugin error, overload) is left alone:
 * there was no response to judge. The `context` (body, headers) is dropped.
 */
export function applyAssertions(outcome: unknown, nodes: readonly AssertionNode[] | undefined): unknown {
  if (outcome === null || typeof outcome !== 'object') return outcome
  const { context, ...rest } = outcome as CheckOutcome
  if (nodes === undefined || nodes.length === 0 || rest.status === 'unknown') return rest
  const observations = rest.observations ?? {}
  const report = evaluateAssertions(nodes, {
    ...(typeof observations.statusCode === 'number' ? { statusCode: observations.statusCode } : {}),
    latencyMs: rest.latencyMs ?? 0,
    ...(rest.phases ? { phases: rest.phases } : {}),
    ...(context?.headers ? { headers: context.headers } : {}),
    ...(context?.body !== undefined ? { body: context.body } : {}),
    observations
  })
  const status = RANK[report.status] > RANK[rest.status] ? report.status : rest.status
  const failed = report.results.find((r) => !r.pass)
  const message =
    status !== rest.status && failed !== undefined ? `assertion failed: ${failed.expr} (actual ${JSON.stringify(failed.actual)})` : rest.message
  return {
    ...rest,
    status,
    ...(message === undefined ? {} : { message }),
    observations: { ...observations, assertions: report.results as unknown as ObservationValue }
  }
}
