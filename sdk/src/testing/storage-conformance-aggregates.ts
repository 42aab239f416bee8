import type { Test } from 'tap'
import type { CheckResult, CheckStatus } from '../check-result.js'
import { summarizeLatencies } from '../percentile.js'
import {
  fullResult,
  httpResult,
  latencyMismatch,
  MINUTE,
  monitorRecord,
  resultMismatch,
  SECOND,
  T0,
  TENANT_A,
  type OpenStore
} from './storage-conformance-fixtures.js'

/** latestResults and uptime: the reads dashboards and reports run all day. */
export function aggregateTests(t: Test, open: OpenStore): void {
  t.test('latestResults: newest result per monitor', async (t) => {
    const s = await open(t)
    const aNew = fullResult(TENANT_A, 'a', T0 + 2 * MINUTE)
    const bNew = httpResult(TENANT_A, 'b', T0 + MINUTE)
    await s.writeResults([httpResult(TENANT_A, 'a', T0), aNew, bNew])
    // A late batch carrying an older run must not replace the newest one.
    await s.writeResults([{ ...httpResult(TENANT_A, 'a', T0 + MINUTE), status: 'down' }])
    await s.putMonitor(monitorRecord(TENANT_A, 'no-results'))

    const all = await s.latestResults(TENANT_A)
    t.strictSame([...all.keys()].sort(), ['a', 'b'], 'one entry per monitor with results')
    t.equal(resultMismatch(all.get('a'), aNew), undefined, 'a: newest by startedAt, all fields')
    t.equal(resultMismatch(all.get('b'), bNew), undefined, 'b')

    const some = await s.latestResults(TENANT_A, ['b', 'no-results', 'unknown'])
    t.strictSame([...some.keys()], ['b'], 'only the asked-for monitors that have results')
    t.equal((await s.latestResults(TENANT_A, [])).size, 0, 'an empty id list asks for nothing')

    const newer = { ...httpResult(TENANT_A, 'b', T0 + 5 * MINUTE), status: 'degraded' as const }
    await s.writeResults([newer])
    t.equal(resultMismatch((await s.latestResults(TENANT_A, ['b'])).get('b'), newer), undefined, 'follows new writes')
  })

  t.test('uptime: counts, ratio and nearest-rank latency over [from, to)', async (t) => {
    const s = await open(t)
    const from = T0
    const to = T0 + 10 * MINUTE
    const statuses: CheckStatus[] = ['up', 'up', 'degraded', 'up', 'down', 'unknown', 'up', 'up', 'degraded', 'up', 'down', 'up']
    const inside: CheckResult[] = statuses.map((status, i) => ({
      tenantId: TENANT_A,
      monitorId: 'u',
      startedAt: from + i * 30 * SECOND,
      status,
      latencyMs: status === 'unknown' ? 99_999 : 10 + ((i * 37) % 23) + i / 1000
    }))
    const outside: CheckResult[] = [
      { ...httpResult(TENANT_A, 'u', from - 1), status: 'down', latencyMs: 1 },
      { ...httpResult(TENANT_A, 'u', to), status: 'down', latencyMs: 1 },
      { ...httpResult(TENANT_A, 'other', from + SECOND), status: 'down' }
    ]
    await s.writeResults([...outside, ...inside])

    const sum = await s.uptime(TENANT_A, 'u', from, to)
    t.equal(sum.from, from)
    t.equal(sum.to, to)
    t.equal(sum.checks, inside.length, 'results at from count, at to do not')
    t.strictSame(sum.counts, { up: 7, degraded: 2, down: 2, unknown: 1 })
    t.equal(sum.ratio, 9 / 11, '(up + degraded) / (checks - unknown)')
    const expected = summarizeLatencies(inside.filter((r) => r.status !== 'unknown').map((r) => r.latencyMs))
    t.equal(latencyMismatch(sum.latency, expected), undefined, 'latency summary over runs that were not unknown')

    const part = await s.uptime(TENANT_A, 'u', from + 30 * SECOND, from + 90 * SECOND)
    t.strictSame(part.counts, { up: 1, degraded: 1, down: 0, unknown: 0 }, 'a sub-window')
    t.equal(part.ratio, 1)

    await s.writeResults([{ tenantId: TENANT_A, monitorId: 'blind', startedAt: from, status: 'unknown', latencyMs: 5 }])
    const blind = await s.uptime(TENANT_A, 'blind', from, to)
    t.equal(blind.checks, 1)
    t.equal(blind.ratio, null, 'only unknown runs: nothing to judge')
    t.equal(blind.latency, null)

    const { tier, ...empty } = await s.uptime(TENANT_A, 'nothing', from, to)
    t.strictSame(empty, { from, to, checks: 0, counts: { up: 0, degraded: 0, down: 0, unknown: 0 }, ratio: null, latency: null }, 'no results at all')
    t.ok(tier === undefined || tier === 'raw', 'no maintain pass yet: answered from raw results')
  })

  t.test('uptime: percentiles use the nearest rank on many runs', async (t) => {
    const s = await open(t)
    const batch: CheckResult[] = []
    for (let i = 0; i < 1000; i++) {
      batch.push({ tenantId: TENANT_A, monitorId: 'p', startedAt: T0 + i * SECOND, status: i % 10 === 0 ? 'down' : 'up', latencyMs: ((i * 7919) % 1000) + 0.5 })
    }
    await s.writeResults(batch)
    const sum = await s.uptime(TENANT_A, 'p', T0, T0 + 1000 * SECOND)
    t.equal(sum.ratio, 0.9)
    t.equal(latencyMismatch(sum.latency, summarizeLatencies(batch.map((r) => r.latencyMs))), undefined, 'p50 / p95 / p99 as summarizeLatencies')
    t.equal(sum.latency?.p95, 949.5, 'p95 of 0.5 … 999.5 is the 950th value')
  })
}
