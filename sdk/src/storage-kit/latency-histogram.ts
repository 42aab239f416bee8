/**
 * A mergeable latency histogram for rollups: fixed log-scale bins, so the
 * histogram of an hour is exactly the sum of its minutes' histograms, and
 * percentiles come out with a bounded *relative* error whatever the spread
 * (the DDSketch idea, with bins fixed once for all stores).
 *
 * Bins: bin 0 holds [0, 0.1 ms]; bin i ≥ 1 holds (0.1·γ^(i-1), 0.1·γ^i] ms
 * with γ = (1 + α) / (1 - α), α = HISTOGRAM_RELATIVE_ERROR = 2.5 % (γ ≈ 1.0513),
 * up to bin 313 which ends past 10 minutes and also takes anything slower.
 * A bin reports 2·0.1·γ^i / (γ + 1), the point whose distance to both ends is α.
 *
 * **Error bound.** A percentile from `histogramPercentiles` differs from the
 * exact nearest-rank percentile of the same samples by at most
 * α = 2.5 % of it, or 0.05 ms for samples of 0.1 ms and less; for samples
 * above 10 minutes only the clamp to the exact [min, max] bounds it.
 *
 * The encoded form is a JSON object `{ "<bin>": count }` with only the bins
 * that are used (`{"71":3,"72":40}`): small, and mergeable in SQL too
 * (`json_each` / `jsonb_each` and a sum per key).
 */

/** α: the relative error bound of every percentile (see the module comment). */
export const HISTOGRAM_RELATIVE_ERROR = 0.025
/** Everything at or below this many ms shares bin 0 (absolute error ≤ half of it). */
export const HISTOGRAM_MIN_MS = 0.1
/** The last bin starts below this many ms and takes everything slower. */
export const HISTOGRAM_MAX_MS = 600_000

const GAMMA = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR)
const LOG_GAMMA = Math.log(GAMMA)
/** Index of the last bin (313). */
export const HISTOGRAM_LAST_BIN = Math.ceil(Math.log(HISTOGRAM_MAX_MS / HISTOGRAM_MIN_MS) / LOG_GAMMA)

/** bin → number of samples; bins without samples are absent. */
export type LatencyHistogram = Map<number, number>

/** The JSON form: bin index (as a string key) → count. */
export type EncodedHistogram = Record<string, number>

/** The bin a latency (ms) falls in. */
export function histogramBin(latencyMs: number): number {
  if (!(latencyMs > HISTOGRAM_MIN_MS)) return 0
  return Math.min(HISTOGRAM_LAST_BIN, Math.ceil(Math.log(latencyMs / HISTOGRAM_MIN_MS) / LOG_GAMMA))
}

/** The value a bin reports (ms): within α of every sample in it. */
export function histogramBinValue(bin: number): number {
  if (bin <= 0) return HISTOGRAM_MIN_MS / 2
  return (2 * HISTOGRAM_MIN_MS * GAMMA ** bin) / (GAMMA + 1)
}

/**
 * Adds `count` samples of `latencyMs` to `h` (in place) and returns it.
 *
 * @example
 * const h = addLatency(new Map(), 84.3)
 */
export function addLatency(h: LatencyHistogram, latencyMs: number, count = 1): LatencyHistogram {
  const bin = histogramBin(latencyMs)
  h.set(bin, (h.get(bin) ?? 0) + count)
  return h
}

/** Adds every sample of `from` to `into` (in place) and returns `into`. */
export function mergeHistograms(into: LatencyHistogram, from: LatencyHistogram): LatencyHistogram {
  for (const [bin, count] of from) into.set(bin, (into.get(bin) ?? 0) + count)
  return into
}

/** Number of samples in `h`. */
export function histogramCount(h: LatencyHistogram): number {
  let n = 0
  for (const count of h.values()) n += count
  return n
}

/**
 * Nearest-rank percentiles (`ps` in 0..100) of the samples in `h`, each within
 * the documented error of the exact value, clamped to `[min, max]` when those
 * exact bounds are known; NaN for each when `h` is empty.
 *
 * @example
 * const [p50, p95, p99] = histogramPercentiles(h, [50, 95, 99], min, max)
 */
export function histogramPercentiles(h: LatencyHistogram, ps: readonly number[], min = 0, max = Number.POSITIVE_INFINITY): number[] {
  const total = histogramCount(h)
  if (total === 0) return ps.map(() => Number.NaN)
  const bins = [...h.entries()].sort((a, b) => a[0] - b[0])
  return ps.map((p) => {
    const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)))
    let seen = 0
    for (const [bin, count] of bins) {
      seen += count
      if (seen >= rank) return Math.min(max, Math.max(min, histogramBinValue(bin)))
    }
    return max
  })
}

/** The JSON-ready form, bins ascending. */
export function encodeHistogram(h: LatencyHistogram): EncodedHistogram {
  const out: EncodedHistogram = {}
  for (const bin of [...h.keys()].sort((a, b) => a - b)) out[String(bin)] = h.get(bin) as number
  return out
}

/**
 * Reads the encoded form (an object or its JSON text) back; anything that is
 * not a bin → positive-integer map throws a TypeError, because a histogram that
 * silently lost bins would report wrong percentiles.
 */
export function decodeHistogram(encoded: EncodedHistogram | string): LatencyHistogram {
  const obj: unknown = typeof encoded === 'string' ? JSON.parse(encoded) : encoded
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new TypeError('a latency histogram must be an object of bin → count')
  const h: LatencyHistogram = new Map()
  for (const [key, count] of Object.entries(obj)) {
    const bin = Number(key)
    if (!Number.isInteger(bin) || bin < 0 || bin > HISTOGRAM_LAST_BIN || !Number.isInteger(count) || (count as number) <= 0) {
      throw new TypeError(`bad latency histogram entry ${JSON.stringify(key)}: ${JSON.stringify(count)}`)
    }
    h.set(bin, count as number)
  }
  return h
}
