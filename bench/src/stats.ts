/** Nearest-rank percentile of an unsorted sample (sorted in place). */
export function percentiles(values: number[], ps: readonly number[]): number[] {
  if (values.length === 0) return ps.map(() => Number.NaN)
  const sorted = Float64Array.from(values).sort()
  return ps.map((p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] as number)
}

export function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'
}
