import t from 'tap'
import { percentile } from '../percentile.js'
import {
  addLatency,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_LAST_BIN,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_RELATIVE_ERROR,
  histogramBin,
  histogramBinValue,
  histogramCount,
  histogramPercentiles,
  mergeHistograms,
  type LatencyHistogram
} from './latency-histogram.js'

/** A seeded generator, so a failure names data that can be reproduced. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}

/** The documented bound: α of the exact value, or half the first bin for tiny values. */
function allowed(exact: number): number {
  return Math.max(HISTOGRAM_RELATIVE_ERROR * exact, HISTOGRAM_MIN_MS / 2) * (1 + 1e-12)
}

t.test('percentiles are within the documented error of the exact nearest-rank values', async (t) => {
  const shapes: [string, (r: () => number) => number][] = [
    ['log-uniform 0.01 ms … 10 min', (r) => 0.01 * 60_000_000 ** r()],
    ['a fast API: 20–80 ms with a slow tail', (r) => (r() < 0.97 ? 20 + 60 * r() : 200 + 5000 * r())],
    ['sub-millisecond', (r) => 0.2 * r()],
    ['integers', (r) => Math.floor(1 + 1000 * r())]
  ]
  for (const [name, draw] of shapes) {
    for (const seed of [1, 2, 3]) {
      const r = random(seed)
      const values = Array.from({ length: 5000 }, () => Math.round(draw(r) * 1000) / 1000)
      const h: LatencyHistogram = new Map()
      for (const v of values) addLatency(h, v)
      const sorted = [...values].sort((a, b) => a - b)
      const ps = [1, 25, 50, 75, 90, 95, 99, 99.9]
      const got = histogramPercentiles(h, ps, sorted[0], sorted[sorted.length - 1])
      const worst = ps.map((p, i) => {
        const exact = percentile(sorted, p)
        return Math.abs((got[i] as number) - exact) / allowed(exact)
      })
      t.ok(Math.max(...worst) <= 1, `${name}, seed ${seed}: worst error ${Math.max(...worst).toFixed(3)} of the bound`)
    }
  }
})

t.test('every value is within the bound of its bin value, at the bin edges too', async (t) => {
  let worst = 0
  for (let bin = 1; bin < HISTOGRAM_LAST_BIN; bin++) {
    const hi = HISTOGRAM_MIN_MS * ((1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR)) ** bin
    for (const v of [hi, hi * (1 - 1e-9), hi * (1 + 1e-9)]) {
      worst = Math.max(worst, Math.abs(histogramBinValue(histogramBin(v)) - v) / (HISTOGRAM_RELATIVE_ERROR * v))
    }
  }
  t.ok(worst <= 1 + 1e-9, `worst relative error ${worst.toFixed(6)} × α`)
  t.equal(histogramBin(0), 0)
  t.equal(histogramBin(HISTOGRAM_MIN_MS), 0)
  t.equal(histogramBin(1e9), HISTOGRAM_LAST_BIN, 'anything slower than 10 minutes shares the last bin')
  t.ok(HISTOGRAM_LAST_BIN < 400, `a fixed, small number of bins (${HISTOGRAM_LAST_BIN + 1})`)
})

t.test('merging is exact: a merged histogram equals one built from all samples', async (t) => {
  const r = random(7)
  const parts = Array.from({ length: 10 }, () => Array.from({ length: 200 }, () => 0.5 + 3000 * r() ** 3))
  const whole: LatencyHistogram = new Map()
  for (const v of parts.flat()) addLatency(whole, v)
  const merged: LatencyHistogram = new Map()
  for (const part of parts) {
    const h: LatencyHistogram = new Map()
    for (const v of part) addLatency(h, v)
    mergeHistograms(merged, h)
  }
  t.strictSame(encodeHistogram(merged), encodeHistogram(whole))
  t.equal(histogramCount(merged), 2000)
})

t.test('encoding round-trips through JSON and refuses damage', async (t) => {
  const h = addLatency(addLatency(addLatency(new Map(), 12.5), 12.6, 3), 800)
  const json = JSON.stringify(encodeHistogram(h))
  t.match(json, /^\{"\d+":\d+(,"\d+":\d+)*\}$/, `compact: ${json}`)
  t.strictSame(decodeHistogram(json), h)
  t.strictSame(decodeHistogram(JSON.parse(json) as Record<string, number>), h)
  t.throws(() => decodeHistogram('{"-1":2}'), TypeError)
  t.throws(() => decodeHistogram('{"3":0}'), TypeError)
  t.throws(() => decodeHistogram('[1,2]'), TypeError)
})

t.test('empty and clamped', async (t) => {
  t.ok(histogramPercentiles(new Map(), [50]).every(Number.isNaN), 'NaN without samples')
  const one = addLatency(new Map(), 42.123)
  t.strictSame(histogramPercentiles(one, [50, 99], 42.123, 42.123), [42.123, 42.123], 'the exact min and max bound every answer')
})
