import {
  addToRollup,
  emptyRetentionReport,
  emptyRollup,
  lateMark,
  mergeRollup,
  planMaintenance,
  rollupCoverage,
  rollupSummary,
  TIER_MS,
  uptimePlan,
  uptimeSummary,
  type RetentionMarks,
  type RollupBucket
} from '@vedette/sdk'
import type { CheckStatus, RetentionPolicy, RetentionReport, RollupTier, UptimeSummary } from '@vedette/sdk'
import type { Series, StoredResult } from './memory-series.js'
import { timeWindow } from './sorted-range.js'

/**
 * Tiered retention on Maps: each series keeps `rollups[tier]`, bucket start →
 * RollupBucket. The planning (which buckets to rebuild, what to delete, which
 * tier answers) is the storage kit's, shared with the SQL stores; this class
 * only applies it to arrays and Maps, synchronously.
 */
export class MemoryRetention {
  readonly policy: RetentionPolicy
  #marks: RetentionMarks = {}

  constructor(policy: RetentionPolicy) {
    this.policy = policy
  }

  /** Called for every result written: a result for a bucket already rolled up is rolled up again at the next pass. */
  noteWrite(startedAt: number): void {
    this.#marks.dirtyFrom = lateMark(this.#marks, startedAt)
  }

  reset(): void {
    this.#marks = {}
  }

  maintain(now: number, all: readonly Series[]): RetentionReport {
    const started = performance.now()
    const report = emptyRetentionReport()
    let earliest: number | undefined
    for (const s of all) {
      const first = s.results[0]
      if (first !== undefined && (earliest === undefined || first.time < earliest)) earliest = first.time
    }
    const plan = planMaintenance(this.policy, this.#marks, now, earliest)
    for (const series of all) {
      if (plan.rollup !== undefined) {
        const { minute, hour, day } = plan.rollup
        report.rolledUp.minute += rebuild(series.rollups.minute, minute.from, minute.to, fromRaw(series, minute.from, minute.to))
        report.rolledUp.hour += rebuild(series.rollups.hour, hour.from, hour.to, fromTier(series.rollups.minute, 'hour', hour.from, hour.to))
        report.rolledUp.day += rebuild(series.rollups.day, day.from, day.to, fromTier(series.rollups.hour, 'day', day.from, day.to))
      }
      // Results are sorted by time, so everything before the cut is a prefix.
      const [, hi] = timeWindow(series.results, Number.NEGATIVE_INFINITY, plan.cut.raw)
      series.results.splice(0, hi)
      report.deleted.raw += hi
      for (const tier of ['minute', 'hour', 'day'] as const) {
        for (const start of series.rollups[tier].keys()) {
          if (start < plan.cut[tier]) {
            series.rollups[tier].delete(start)
            report.deleted[tier]++
          }
        }
      }
    }
    this.#marks = plan.next
    report.durationMs = performance.now() - started
    return report
  }

  uptime(series: Series | undefined, from: number, to: number): UptimeSummary {
    const plan = uptimePlan(this.policy, rollupCoverage(this.#marks), from, to)
    const results = series?.results ?? []
    if (plan.tier === 'raw') {
      const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
      const latencies: number[] = []
      eachResult(results, from, to, (r) => {
        counts[r.result.status]++
        if (r.result.status !== 'unknown') latencies.push(r.result.latencyMs)
      })
      return { ...uptimeSummary(from, to, counts, latencies), tier: 'raw' }
    }
    const merged = emptyRollup()
    for (const seg of plan.segments) {
      if (seg.tier === 'raw') {
        eachResult(results, seg.from, seg.to, (r) => addToRollup(merged, r.result.status, r.result.latencyMs))
        continue
      }
      const buckets = series?.rollups[seg.tier]
      for (let start = seg.from; buckets !== undefined && start < seg.to; start += TIER_MS[seg.tier]) {
        const b = buckets.get(start)
        if (b !== undefined) mergeRollup(merged, b)
      }
    }
    return rollupSummary(plan.from, plan.to, plan.tier, merged)
  }
}

function eachResult(results: readonly StoredResult[], from: number, to: number, fn: (r: StoredResult) => void): void {
  const [lo, hi] = timeWindow(results, from, to)
  for (let i = lo; i < hi; i++) fn(results[i] as StoredResult)
}

/** Minute buckets of the raw results in [from, to). */
function fromRaw(series: Series, from: number, to: number): Map<number, RollupBucket> {
  const out = new Map<number, RollupBucket>()
  eachResult(series.results, from, to, ({ time, result }) => {
    const start = Math.floor(time / TIER_MS.minute) * TIER_MS.minute
    let b = out.get(start)
    if (b === undefined) out.set(start, (b = emptyRollup()))
    addToRollup(b, result.status, result.latencyMs)
  })
  return out
}

/** `tier` buckets in [from, to), merged from the finer tier's buckets. */
function fromTier(finer: Map<number, RollupBucket>, tier: RollupTier, from: number, to: number): Map<number, RollupBucket> {
  const out = new Map<number, RollupBucket>()
  for (const [start, bucket] of finer) {
    if (start < from || start >= to) continue
    const key = Math.floor(start / TIER_MS[tier]) * TIER_MS[tier]
    let b = out.get(key)
    if (b === undefined) out.set(key, (b = emptyRollup()))
    mergeRollup(b, bucket)
  }
  return out
}

/** Replaces the buckets in [from, to) with `fresh`; returns how many were written. */
function rebuild(target: Map<number, RollupBucket>, from: number, to: number, fresh: Map<number, RollupBucket>): number {
  for (const start of target.keys()) if (start >= from && start < to) target.delete(start)
  for (const [start, bucket] of fresh) target.set(start, bucket)
  return fresh.size
}
