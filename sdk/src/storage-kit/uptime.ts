import type { CheckStatus } from '../check-result.js'
import { summarizeLatencies } from '../percentile.js'
import type { UptimeSummary } from '../storage.js'

/**
 * The uptime summary every store reports the same way, from the per-status
 * counts and the latencies (ms) of the runs that were not `unknown`:
 * `degraded` counts as available, `unknown` is left out of the ratio, and the
 * ratio is null when nothing is left to judge.
 *
 * @example
 * return uptimeSummary(from, to, { up: 98, degraded: 1, down: 1, unknown: 0 }, latencies)
 */
export function uptimeSummary(from: number, to: number, counts: Record<CheckStatus, number>, latencies: readonly number[]): UptimeSummary {
  const checks = counts.up + counts.degraded + counts.down + counts.unknown
  const judged = checks - counts.unknown
  return {
    from,
    to,
    checks,
    counts,
    ratio: judged === 0 ? null : (counts.up + counts.degraded) / judged,
    latency: summarizeLatencies(latencies)
  }
}
