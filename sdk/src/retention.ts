/** How long each tier of results is kept, in ms. */
export interface RetentionPolicy {
  /** Raw results (default 7 days). */
  rawMs: number
  /** 1-minute rollups (default 30 days). */
  minuteMs: number
  /** 1-hour rollups (default 13 months, 395 days). */
  hourMs: number
  /** 1-day rollups (default 5 years, 1,826 days). */
  dayMs: number
}

/** The rollup tiers, finest first. */
export type RollupTier = 'minute' | 'hour' | 'day'

/** Where an uptime or latency answer came from. */
export type ResultTier = 'raw' | RollupTier

/** What one maintenance pass did. */
export interface RetentionReport {
  /** Rollup rows written (created or completed) per tier. */
  rolledUp: Record<RollupTier, number>
  /** Rows deleted per tier (raw results and rollups past their retention). */
  deleted: Record<ResultTier, number>
  durationMs: number
}

/**
 * Tiered retention: a store keeps raw results and 1-minute, 1-hour and 1-day
 * rollups (count per status, min / avg / max latency and a latency histogram
 * for p50 / p95 / p99), and answers `uptime` from the finest tier that covers
 * the window (`UptimeSummary.tier`). `maintain` is run by the engine on a
 * schedule (one node at a time in a cluster); it must be idempotent and safe
 * to run while results are being written.
 *
 * Buckets are aligned to UTC: minutes, hours and days since the epoch.
 * Which tier covers a window depends on what `maintain` has done, never on the
 * wall clock: before the first `maintain` everything is answered from raw
 * results, and afterwards tiers are chosen with the `now` of the newest pass
 * (see `chooseTier` in the storage kit). A result written late, for a bucket
 * that was already rolled up, is rolled up again at the next pass as long as
 * it is younger than the raw retention.
 */
export interface RetentionStore {
  /**
   * Rolls up every bucket that closed before `now`, then deletes what is past
   * the policy: raw results older than `now - rawMs`, and rollup buckets that
   * started before `now` minus their tier's retention (cut points may be
   * rounded down to the bucket, so a little more may be kept, never less).
   */
  maintain(now: number): Promise<RetentionReport>
  /** The policy the store was configured with. */
  retentionPolicy(): RetentionPolicy
}
