import type { Test } from 'tap'
import type { CheckResult, CheckStatus } from '../check-result.js'
import { summarizeLatencies } from '../percentile.js'
import type { ResultTier, RetentionPolicy } from '../retention.js'
import type { StorageInstance, UptimeSummary } from '../storage.js'
import { HISTOGRAM_MIN_MS, HISTOGRAM_RELATIVE_ERROR } from '../storage-kit/latency-histogram.js'
import { DEFAULT_RETENTION_POLICY } from '../storage-kit/retention-policy.js'
import { collectPages, LATENCY_TOLERANCE, MINUTE, SECOND, T0, TENANT_A, TENANT_B, type OpenStore } from './storage-conformance-fixtures.js'

const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Small enough to see every tier within ten days of data. */
export const TEST_RETENTION: Readonly<RetentionPolicy> = Object.freeze({ rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 6 * DAY, dayMs: 8 * DAY })

/** The instant the suite runs maintain at: unaligned on purpose. Raw cut T0+8d+30m, minute T0+6d+30m, hour T0+4d, day T0+2d. */
export const RETENTION_NOW = T0 + 10 * DAY + 30 * MINUTE + 15 * SECOND
const NOW = RETENTION_NOW

/**
 * Ten days of results for one monitor: every 7 minutes with some seconds of
 * jitter, all four statuses, latencies spread log-uniformly over 0.05 ms…20 s
 * (three decimals, so µs-precision stores keep them exactly).
 */
export function history(tenantId: string, monitorId: string, from: number, to: number): CheckResult[] {
  const out: CheckResult[] = []
  let seed = 12345
  for (let i = 0; T0 + i * 7 * MINUTE < to; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    const startedAt = T0 + i * 7 * MINUTE + (i % 3) * 11 * SECOND
    if (startedAt < from || startedAt >= to) continue
    const status: CheckStatus = i % 29 === 7 ? 'unknown' : i % 17 === 3 ? 'down' : i % 23 === 5 ? 'degraded' : 'up'
    const latencyMs = status === 'unknown' ? 99_999 : Math.round(0.05 * 400_000 ** (seed / 2147483648) * 1000) / 1000
    out.push({ tenantId, monitorId, startedAt, status, latencyMs })
  }
  return out
}

/** What uptime must say over `[from, to)` of `results`: exact counts and ratio, exact nearest-rank latency. */
export function expected(results: readonly CheckResult[], from: number, to: number): Omit<UptimeSummary, 'tier'> {
  const inside = results.filter((r) => r.startedAt >= from && r.startedAt < to)
  const counts: Record<CheckStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 }
  for (const r of inside) counts[r.status]++
  const judged = inside.length - counts.unknown
  const latency = summarizeLatencies(inside.filter((r) => r.status !== 'unknown').map((r) => r.latencyMs))
  return { from, to, checks: inside.length, counts, ratio: judged === 0 ? null : (counts.up + counts.degraded) / judged, latency }
}

/**
 * Why `got` is not an acceptable answer: counts, ratio and window exact,
 * latency min / max / avg exact (µs), percentiles exact from raw and within
 * the histogram's documented error from rollups.
 */
export function summaryMismatch(got: UptimeSummary, want: Omit<UptimeSummary, 'tier'>, tier: ResultTier): string | undefined {
  if ((got.tier ?? 'raw') !== tier) return `tier ${String(got.tier)} != ${tier}`
  const plain = (s: Omit<UptimeSummary, 'tier'>): unknown => [s.from, s.to, s.checks, s.counts, s.ratio]
  if (JSON.stringify(plain(got)) !== JSON.stringify(plain(want))) return `${JSON.stringify(plain(got))} != ${JSON.stringify(plain(want))} ([from, to, checks, counts, ratio])`
  if (got.latency === null || want.latency === null) return got.latency === want.latency ? undefined : `latency ${JSON.stringify(got.latency)} != ${JSON.stringify(want.latency)}`
  for (const key of ['min', 'max', 'avg', 'p50', 'p95', 'p99'] as const) {
    const [g, w] = [got.latency[key], want.latency[key]]
    const approximate = tier !== 'raw' && key.startsWith('p')
    const bound = (approximate ? Math.max(HISTOGRAM_RELATIVE_ERROR * w, HISTOGRAM_MIN_MS / 2) * (1 + 1e-9) : key === 'avg' ? 1e-9 * w : 0) + LATENCY_TOLERANCE
    if (!(Math.abs(g - w) <= bound)) return `latency.${key} ${g} != ${w} (allowed ±${bound})`
  }
  return undefined
}

/** Windows over the tiers at NOW: [name, from, to, tier, window actually answered]. */
const WINDOWS: [string, number, number, ResultTier, [number, number]?][] = [
  ['past the day retention', T0, T0 + DAY, 'day'],
  ['day rollups', T0 + 2 * DAY, T0 + 4 * DAY, 'day'],
  ['hour rollups', T0 + 5 * DAY, T0 + 5 * DAY + 6 * HOUR, 'hour'],
  ['hour rollups, unaligned window rounded outward', T0 + 5 * DAY + 17 * MINUTE, T0 + 5 * DAY + 2 * HOUR + 5 * MINUTE, 'hour', [T0 + 5 * DAY, T0 + 5 * DAY + 3 * HOUR]],
  ['minute rollups (whole hours in the middle)', T0 + 7 * DAY + 13 * MINUTE, T0 + 7 * DAY + 3 * HOUR + 7 * MINUTE, 'minute'],
  ['raw, recent', NOW - DAY, NOW, 'raw'],
  ['from day rollups to the newest raw result', T0 + 2 * DAY, NOW + 1, 'day']
]

async function checkWindows(t: Test, s: StorageInstance, results: readonly CheckResult[], label: string): Promise<UptimeSummary[]> {
  const answers: UptimeSummary[] = []
  for (const [name, from, to, tier, answered] of WINDOWS) {
    const got = await s.uptime(TENANT_A, 'r', from, to)
    const [wantFrom, wantTo] = answered ?? [from, to]
    const want = name === 'past the day retention' ? expected([], from, to) : expected(results, wantFrom, wantTo)
    t.equal(summaryMismatch(got, want, tier), undefined, `${label}: ${name}`)
    answers.push(got)
  }
  return answers
}

/** Tiered retention: rollups, deletion past the policy, answers per tier, idempotent and incremental passes, late results. */
export function retentionTests(t: Test, open: OpenStore): void {
  t.test('retention: the configured policy, defaults otherwise', async (t) => {
    const s = await open(t, { retention: { ...TEST_RETENTION } })
    t.strictSame(s.retentionPolicy(), TEST_RETENTION, 'the store applies the retention it was created with (the factory passes options.retention)')
    const d = await open(t)
    t.strictSame(d.retentionPolicy(), DEFAULT_RETENTION_POLICY, 'defaults: 7d raw, 30d minutes, 395d hours, 1826d days')
  })

  t.test('retention: maintain rolls up, deletes past the policy and answers from the finest tier', async (t) => {
    const s = await open(t, { retention: { ...TEST_RETENTION } })
    const a = history(TENANT_A, 'r', T0, NOW)
    const b = history(TENANT_B, 'r', T0, NOW).filter((_, i) => i % 9 === 0).map((r) => ({ ...r, status: 'down' as const }))
    for (let i = 0; i < a.length; i += 500) await s.writeResults(a.slice(i, i + 500))
    await s.writeResults(b)
    const before = await s.uptime(TENANT_A, 'r', T0, T0 + DAY)
    t.equal(summaryMismatch(before, expected(a, T0, T0 + DAY), 'raw'), undefined, 'before any maintain, raw results answer every window')

    const report = await s.maintain(NOW)
    t.ok(report.rolledUp.minute > 0 && report.rolledUp.hour > 0 && report.rolledUp.day > 0, `rollups written in every tier: ${JSON.stringify(report.rolledUp)}`)
    t.ok(report.deleted.minute > 0 && report.deleted.hour > 0 && report.deleted.day > 0, `rollups past retention deleted: ${JSON.stringify(report.deleted)}`)
    const rawLimit = NOW - TEST_RETENTION.rawMs
    const old = [...a, ...b].filter((r) => r.startedAt < rawLimit)
    const slack = old.filter((r) => r.startedAt >= rawLimit - MINUTE).length
    t.ok(report.deleted.raw <= old.length && report.deleted.raw >= old.length - slack, `deleted.raw ${report.deleted.raw} counts the ${old.length} raw results past retention`)
    t.type(report.durationMs, 'number')

    const kept = (await collectPages((cursor) => s.queryResults(TENANT_A, 'r', { order: 'asc', limit: 1000, ...(cursor ? { cursor } : {}) }))).items
    t.ok(kept.every((r) => r.startedAt >= rawLimit - MINUTE), 'raw results older than the raw retention are gone (the cut may round down to the minute)')
    t.equal(kept.filter((r) => r.startedAt >= rawLimit).length, a.filter((r) => r.startedAt >= rawLimit).length, 'every raw result within the retention is kept')

    const first = await checkWindows(t, s, a, 'first pass')
    const bDays = await s.uptime(TENANT_B, 'r', T0 + 2 * DAY, T0 + 4 * DAY)
    t.equal(summaryMismatch(bDays, expected(b, T0 + 2 * DAY, T0 + 4 * DAY), 'day'), undefined, "another tenant's monitor of the same id has its own rollups")

    const again = await s.maintain(NOW)
    t.strictSame(again.deleted, { raw: 0, minute: 0, hour: 0, day: 0 }, 'a second pass at the same time deletes nothing more')
    const second = await checkWindows(t, s, a, 'second pass')
    t.strictSame(second, first, 'and every answer is the same (maintain is idempotent)')

    const fresh = [1, 2, 3].map((i): CheckResult => ({ tenantId: TENANT_A, monitorId: 'r', startedAt: NOW + i * MINUTE, status: 'down', latencyMs: 100 * i }))
    await s.writeResults(fresh)
    const sincePass = await s.uptime(TENANT_A, 'r', T0 + 2 * DAY, NOW + 10 * MINUTE)
    t.equal(summaryMismatch(sincePass, expected([...a, ...fresh], T0 + 2 * DAY, NOW + 10 * MINUTE), 'day'), undefined, 'results written since the last pass count too')

    t.equal(await s.deleteMonitor(TENANT_B, 'r'), true)
    t.equal((await s.uptime(TENANT_B, 'r', T0 + 2 * DAY, T0 + 4 * DAY)).checks, 0, "deleteMonitor removes the monitor's rollups too")
    t.equal((await s.uptime(TENANT_A, 'r', T0 + 2 * DAY, T0 + 4 * DAY)).checks, first[1]?.checks, 'and leaves the other tenant alone')
  })

  t.test('retention: passes over time, and late results, give the same answers as one pass', async (t) => {
    const s = await open(t, { retention: { ...TEST_RETENTION } })
    const early = history(TENANT_A, 'r', T0, NOW - 5 * DAY)
    await s.writeResults(early)
    await s.maintain(NOW - 5 * DAY)
    const mid = await s.uptime(TENANT_A, 'r', T0, T0 + DAY)
    t.equal(summaryMismatch(mid, expected(early, T0, T0 + DAY), 'hour'), undefined, 'tiers follow the newest pass, not the wall clock')

    const rest = history(TENANT_A, 'r', NOW - 5 * DAY, NOW)
    for (let i = 0; i < rest.length; i += 500) await s.writeResults(rest.slice(i, i + 500))
    // A result that arrives after its bucket was rolled up (still within the raw retention).
    const late: CheckResult = { tenantId: TENANT_A, monitorId: 'r', startedAt: NOW - 5 * DAY - 2 * HOUR, status: 'down', latencyMs: 4321.5 }
    await s.writeResults([late])
    await s.maintain(NOW - DAY)
    await s.maintain(NOW)
    const all = [...early, ...rest, late]
    await checkWindows(t, s, all, 'after three passes')
    const lateHour = await s.uptime(TENANT_A, 'r', T0 + 4 * DAY + 12 * HOUR, T0 + 5 * DAY)
    t.equal(summaryMismatch(lateHour, expected(all, T0 + 4 * DAY + 12 * HOUR, T0 + 5 * DAY), 'hour'), undefined, 'the late result is in the rollups')
  })
}
