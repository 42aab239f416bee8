import t from 'tap'
import { percentile, summarizeLatencies } from './percentile.js'

t.test('nearest-rank percentiles', async (t) => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1)
  t.equal(percentile(values, 50), 50)
  t.equal(percentile(values, 95), 95)
  t.equal(percentile(values, 99), 99)
  t.equal(percentile([7], 99), 7)
  t.ok(Number.isNaN(percentile([], 50)))
})

t.test('summary of unsorted latencies', async (t) => {
  const s = summarizeLatencies([30, 10, 20])
  t.same(s, { min: 10, avg: 20, max: 30, p50: 20, p95: 30, p99: 30 })
  t.equal(summarizeLatencies([]), null)
})
