import t from 'tap'
import { DEFAULT_RETENTION_POLICY } from './retention-policy.js'
import { bucketEnd, bucketStart, chooseTier, uptimePlan } from './tier-choice.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T0 = Date.UTC(2025, 0, 1)
const policy = { rawMs: 2 * DAY, minuteMs: 4 * DAY, hourMs: 6 * DAY, dayMs: 8 * DAY }

t.test('chooseTier: the finest tier whose retention covers from', async (t) => {
  const now = T0 + 10 * DAY
  t.equal(chooseTier(policy, now, now - 2 * DAY), 'raw', 'exactly at the raw horizon')
  t.equal(chooseTier(policy, now, now - 2 * DAY - 1), 'minute')
  t.equal(chooseTier(policy, now, now - 4 * DAY - 1), 'hour')
  t.equal(chooseTier(policy, now, now - 6 * DAY - 1), 'day')
  t.equal(chooseTier(policy, now, now - 100 * DAY), 'day', 'day answers with what it still has')
  t.equal(chooseTier(DEFAULT_RETENTION_POLICY, now, now - 30 * DAY), 'minute', 'the last 30 days from minutes by default')
})

t.test('buckets are aligned to UTC', async (t) => {
  t.equal(bucketStart('day', T0 + 5 * HOUR), T0)
  t.equal(bucketEnd('day', T0 + 5 * HOUR), T0 + DAY)
  t.equal(bucketEnd('hour', T0 + HOUR), T0 + HOUR, 'an aligned end stays')
})

t.test('uptimePlan: raw until a pass ran, and for recent windows', async (t) => {
  t.strictSame(uptimePlan(policy, undefined, T0, T0 + DAY), { tier: 'raw', from: T0, to: T0 + DAY, segments: [{ tier: 'raw', from: T0, to: T0 + DAY }] })
  const coverage = { maintainedAt: T0 + 10 * DAY + 30 * MIN + 15_000, rolledTo: T0 + 10 * DAY + 30 * MIN }
  t.equal(uptimePlan(policy, coverage, T0 + 9 * DAY, T0 + 10 * DAY).tier, 'raw')
  t.strictSame(uptimePlan(policy, coverage, T0 + 9 * DAY, T0 + 9 * DAY).segments, [], 'an empty window reads nothing')
})

t.test('uptimePlan: rounds outward, reads coarse buckets in the middle and raw since the pass', async (t) => {
  const coverage = { maintainedAt: T0 + 10 * DAY + 30 * MIN + 15_000, rolledTo: T0 + 10 * DAY + 30 * MIN }
  const plan = uptimePlan(policy, coverage, T0 + 7 * DAY + 13 * MIN + 5, coverage.maintainedAt + 1)
  t.equal(plan.tier, 'minute')
  t.equal(plan.from, T0 + 7 * DAY + 13 * MIN, 'from rounded down to the minute')
  t.equal(plan.to, coverage.maintainedAt + 1, 'to exact: the newest part is raw')
  t.strictSame(plan.segments, [
    { tier: 'minute', from: T0 + 7 * DAY + 13 * MIN, to: T0 + 7 * DAY + HOUR },
    { tier: 'hour', from: T0 + 7 * DAY + HOUR, to: T0 + 8 * DAY },
    { tier: 'day', from: T0 + 8 * DAY, to: T0 + 10 * DAY },
    { tier: 'minute', from: T0 + 10 * DAY, to: T0 + 10 * DAY + 30 * MIN },
    { tier: 'raw', from: T0 + 10 * DAY + 30 * MIN, to: coverage.maintainedAt + 1 }
  ])

  const old = uptimePlan(policy, coverage, T0 + 5 * DAY + 17 * MIN, T0 + 5 * DAY + 2 * HOUR + 5 * MIN)
  t.strictSame(old, { tier: 'hour', from: T0 + 5 * DAY, to: T0 + 5 * DAY + 3 * HOUR, segments: [{ tier: 'hour', from: T0 + 5 * DAY, to: T0 + 5 * DAY + 3 * HOUR }] }, 'a rollup window is rounded outward to whole buckets')
})

t.test('uptimePlan: segments tile the answered window without gaps or overlaps', async (t) => {
  const coverage = { maintainedAt: T0 + 10 * DAY + 7 * HOUR + 3 * MIN, rolledTo: T0 + 10 * DAY + 7 * HOUR + 3 * MIN }
  for (let i = 0; i < 200; i++) {
    const from = T0 + Math.floor(((i * 7919) % 997) / 997 * 10 * DAY)
    const to = from + Math.floor(((i * 104729) % 991) / 991 * 3 * DAY) + 1
    const plan = uptimePlan(policy, coverage, from, to)
    let cursor = plan.from
    for (const seg of plan.segments) {
      if (seg.from !== cursor || seg.to <= seg.from) t.fail(`gap or overlap at ${seg.tier} ${seg.from}`)
      cursor = seg.to
    }
    if (cursor !== plan.to || plan.from > from || plan.to < to) t.fail(`window ${from}..${to} answered as ${plan.from}..${plan.to}`)
  }
  t.pass('200 windows tiled')
})
