import type { LatencySummary } from './storage.js'

/**
 * Nearest-rank percentile of an ascending-sorted array (the definition most
 * monitoring tools report, and one every storage backend can reproduce in SQL).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

/** min/avg/max/p50/p95/p99 of latencies in any order; null for none. */
export function summarizeLatencies(values: readonly number[]): LatencySummary | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  const arr = Array.from(sorted)
  let sum = 0
  for (const v of arr) sum += v
  return {
    min: arr[0] as number,
    avg: sum / arr.length,
    max: arr[arr.length - 1] as number,
    p50: percentile(arr, 50),
    p95: percentile(arr, 95),
    p99: percentile(arr, 99)
  }
}
