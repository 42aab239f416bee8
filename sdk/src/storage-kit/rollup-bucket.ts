import type { CheckStatus } from '../check-result.js'
import type { ResultTier } from '../retention.js'
import type { UptimeSummary } from '../storage.js'
import { addLatency, histogramPercentiles, mergeHistograms, type LatencyHistogram } from './latency-histogram.js'

/**
 * What a rollup keeps of the results in one bucket: counts per status and,
 * over the runs that were not `unknown` (as in `uptimeSummary`), exact
 * latency min / max / sum and a histogram for percentiles. Everything merges
 * exactly, so an hour is the merge of its minutes and a day of its hours.
 */
export interface RollupBucket {
  counts: Record<CheckStatus, number>
  /** ms; +Infinity while no judged run was added. */
  latencyMin: number
  /** ms; -Infinity while no judged run was added. */
  latencyMax: number
  /** ms, over judged runs (avg = sum / (checks - unknown)). */
  latencySum: number
  histogram: LatencyHistogram
}

export function emptyRollup(): RollupBucket {
  return {
    counts: { up: 0, degraded: 0, down: 0, unknown: 0 },
    latencyMin: Number.POSITIVE_INFINITY,
    latencyMax: Number.NEGATIVE_INFINITY,
    latencySum: 0,
    histogram: new Map()
  }
}

/** Adds one run (in place). */
export function addToRollup(bucket: RollupBucket, status: CheckStatus, latencyMs: number): RollupBucket {
  bucket.counts[status]++
  if (status === 'unknown') return bucket
  if (latencyMs < bucket.latencyMin) bucket.latencyMin = latencyMs
  if (latencyMs > bucket.latencyMax) bucket.latencyMax = latencyMs
  bucket.latencySum += latencyMs
  addLatency(bucket.histogram, latencyMs)
  return bucket
}

/** Adds every run of `from` to `into` (in place) and returns `into`. */
export function mergeRollup(into: RollupBucket, from: RollupBucket): RollupBucket {
  into.counts.up += from.counts.up
  into.counts.degraded += from.counts.degraded
  into.counts.down += from.counts.down
  into.counts.unknown += from.counts.unknown
  if (from.latencyMin < into.latencyMin) into.latencyMin = from.latencyMin
  if (from.latencyMax > into.latencyMax) into.latencyMax = from.latencyMax
  into.latencySum += from.latencySum
  mergeHistograms(into.histogram, from.histogram)
  return into
}

/** Number of runs in the bucket. */
export function rollupChecks(bucket: RollupBucket): number {
  const { up, degraded, down, unknown } = bucket.counts
  return up + degraded + down + unknown
}

/**
 * The uptime summary of a merged bucket: counts, ratio and latency min / avg /
 * max exact, p50 / p95 / p99 from the histogram (within its documented error,
 * clamped to the exact min and max).
 *
 * @example
 * return rollupSummary(plan.from, plan.to, plan.tier, merged)
 */
export function rollupSummary(from: number, to: number, tier: ResultTier, bucket: RollupBucket): UptimeSummary {
  const counts = { ...bucket.counts }
  const checks = rollupChecks(bucket)
  const judged = checks - counts.unknown
  let latency: UptimeSummary['latency'] = null
  if (judged > 0) {
    const [p50, p95, p99] = histogramPercentiles(bucket.histogram, [50, 95, 99], bucket.latencyMin, bucket.latencyMax) as [number, number, number]
    latency = { min: bucket.latencyMin, avg: bucket.latencySum / judged, max: bucket.latencyMax, p50, p95, p99 }
  }
  return { from, to, checks, counts, ratio: judged === 0 ? null : (counts.up + counts.degraded) / judged, latency, tier }
}
