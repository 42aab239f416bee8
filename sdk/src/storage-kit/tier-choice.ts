import type { ResultTier, RetentionPolicy, RollupTier } from '../retention.js'

/** Bucket size of each rollup tier, in ms. Buckets are aligned to the epoch (UTC). */
export const TIER_MS: Readonly<Record<RollupTier, number>> = Object.freeze({ minute: 60_000, hour: 3_600_000, day: 86_400_000 })

/** The rollup tiers, finest first. */
export const ROLLUP_TIERS: readonly RollupTier[] = Object.freeze(['minute', 'hour', 'day'] as const)

/** Start of the `tier` bucket holding `t`. */
export function bucketStart(tier: RollupTier, t: number): number {
  const size = TIER_MS[tier]
  return Math.floor(t / size) * size
}

/** End of the `tier` bucket holding `t - 1`: `t` rounded up to the bucket. */
export function bucketEnd(tier: RollupTier, t: number): number {
  const size = TIER_MS[tier]
  return Math.ceil(t / size) * size
}

/**
 * The finest tier whose retention still covers `from` at time `now`: raw if
 * `from >= now - raw`, else minute, else hour, else day (which answers with
 * whatever it still has). The end of the window does not matter: a tier that
 * covers `from` covers everything after it.
 *
 * `now` is the `now` of the newest `maintain`, not the wall clock: nothing is
 * deleted between passes, so raw results answer until a pass removed them.
 *
 * @example
 * chooseTier(policy, lastMaintainedAt, Date.now() - 30 * 86_400_000) // 'minute' with the defaults
 */
export function chooseTier(policy: RetentionPolicy, now: number, from: number): ResultTier {
  if (from >= now - policy.rawMs) return 'raw'
  if (from >= now - policy.minuteMs) return 'minute'
  if (from >= now - policy.hourMs) return 'hour'
  return 'day'
}

/** What a store knows about its rollups when it answers `uptime`. */
export interface RollupCoverage {
  /** `now` of the newest maintain. */
  maintainedAt: number
  /** Minute buckets before this are rolled up (minute aligned); hour and day buckets before it rounded down to theirs. */
  rolledTo: number
}

/** One part of an uptime answer: rows of `tier` with bucket starts (or raw start times) in `[from, to)`. */
export interface UptimeSegment {
  tier: ResultTier
  from: number
  to: number
}

/** How to answer `uptime(from, to)`: the tier reported, the window actually covered, and where to read it. */
export interface UptimePlan {
  tier: ResultTier
  from: number
  to: number
  segments: UptimeSegment[]
}

/**
 * Plans an uptime answer. Raw when no maintain ran yet or the tier choice says
 * raw. Otherwise `from` is rounded down to the chosen tier's bucket and the
 * window is read from that tier up to where it is rolled up, then from each
 * finer tier up to where *it* is rolled up (rounding `to` up to that tier's
 * bucket), and the rest (results since the newest pass) from raw, exactly.
 * Inside each rollup part, whole buckets of coarser tiers replace runs of
 * finer ones (a day instead of 1,440 minutes): the sums are identical.
 *
 * @example
 * const plan = uptimePlan(policy, { maintainedAt, rolledTo }, from, to)
 * for (const seg of plan.segments) ... // read rows of seg.tier in [seg.from, seg.to)
 */
export function uptimePlan(policy: RetentionPolicy, coverage: RollupCoverage | undefined, from: number, to: number): UptimePlan {
  const tier = coverage === undefined ? 'raw' : chooseTier(policy, coverage.maintainedAt, from)
  if (coverage === undefined || tier === 'raw') return { tier: 'raw', from, to, segments: to > from ? [{ tier: 'raw', from, to }] : [] }
  const segments: UptimeSegment[] = []
  const start = bucketStart(tier, from)
  let cursor = start
  // The chosen tier, then each finer one, each up to where it is rolled up.
  for (let k = ROLLUP_TIERS.indexOf(tier); k >= 0 && cursor < to; k--) {
    const t = ROLLUP_TIERS[k] as RollupTier
    const end = Math.min(bucketEnd(t, to), bucketStart(t, coverage.rolledTo))
    if (end > cursor) {
      segments.push(...coarsen(k, cursor, end, coverage.rolledTo))
      cursor = end
    }
  }
  if (cursor < to) segments.push({ tier: 'raw', from: cursor, to })
  return { tier, from: start, to: Math.max(to, cursor), segments }
}

/** `[a, b)` of tier k (both aligned to it), with the whole buckets of coarser tiers in the middle read from those. */
function coarsen(k: number, a: number, b: number, rolledTo: number): UptimeSegment[] {
  const t = ROLLUP_TIERS[k] as RollupTier
  const coarser = ROLLUP_TIERS[k + 1]
  if (coarser !== undefined) {
    const midFrom = bucketEnd(coarser, a)
    const midTo = Math.min(bucketStart(coarser, b), bucketStart(coarser, rolledTo))
    if (midFrom < midTo) {
      const out: UptimeSegment[] = []
      if (a < midFrom) out.push({ tier: t, from: a, to: midFrom })
      out.push(...coarsen(k + 1, midFrom, midTo, rolledTo))
      if (midTo < b) out.push({ tier: t, from: midTo, to: b })
      return out
    }
  }
  return [{ tier: t, from: a, to: b }]
}
