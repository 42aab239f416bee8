import { InvalidStorageQueryError } from '../errors.js'
import type { ResultTier, RetentionPolicy, RetentionReport, RollupTier } from '../retention.js'
import { bucketStart, type RollupCoverage } from './tier-choice.js'

/**
 * What a store remembers between maintenance passes (and across restarts).
 * Every field is undefined until the first pass.
 */
export interface RetentionMarks {
  /** `now` of the newest pass. */
  maintainedAt?: number
  /** Minute buckets before this are rolled up (minute aligned). */
  rolledTo?: number
  /** Raw results before this were deleted (minute aligned); no bucket before it can be rebuilt from raw. */
  rawFrom?: number
  /**
   * The earliest `startedAt` written below `rolledTo` since the last pass: a
   * late result whose bucket must be rolled up again. Stores lower it in the
   * write path (see `lateMark`).
   */
  dirtyFrom?: number
}

/** Bucket starts `[from, to)` whose rollups a pass rebuilds, per tier. */
export type RollupRanges = Record<RollupTier, { from: number; to: number }>

/** What one maintenance pass does. */
export interface MaintenancePlan {
  /** Rebuild these buckets: minutes from raw results, hours from minutes, days from hours. Undefined: nothing closed since. */
  rollup: RollupRanges | undefined
  /** Then delete raw results started before `cut.raw` and rollup buckets starting before `cut[tier]`. */
  cut: Record<ResultTier, number>
  /** The marks to keep once the pass is done (dirtyFrom cleared). */
  next: RetentionMarks
}

/**
 * Plans a pass at `now`. Minute buckets from the first one not yet rolled up
 * (or the earliest late result, but never before raw results were deleted) up
 * to the last closed minute are rebuilt from raw, then the hours and days that
 * contain them. `earliestRaw` (the oldest raw start time, if any) is only
 * needed on the first pass. Rebuilding, not adding, is what makes a pass
 * idempotent. Cuts are rounded down to the tier's bucket, so a bucket is
 * deleted whole and every deleted raw result is already in a closed minute.
 *
 * @example
 * const plan = planMaintenance(policy, marks, now, oldestStartedAt)
 */
export function planMaintenance(policy: RetentionPolicy, marks: RetentionMarks, now: number, earliestRaw: number | undefined): MaintenancePlan {
  assertMaintenanceTime(now)
  const closedTo = bucketStart('minute', now)
  let from = marks.rolledTo ?? (earliestRaw === undefined ? closedTo : bucketStart('minute', earliestRaw))
  if (marks.dirtyFrom !== undefined) from = Math.min(from, bucketStart('minute', marks.dirtyFrom))
  if (marks.rawFrom !== undefined) from = Math.max(from, marks.rawFrom)
  const rollup: RollupRanges | undefined =
    from < closedTo
      ? {
          minute: { from, to: closedTo },
          hour: { from: bucketStart('hour', from), to: bucketStart('hour', closedTo) },
          day: { from: bucketStart('day', from), to: bucketStart('day', closedTo) }
        }
      : undefined
  const cut = {
    raw: bucketStart('minute', now - policy.rawMs),
    minute: bucketStart('minute', now - policy.minuteMs),
    hour: bucketStart('hour', now - policy.hourMs),
    day: bucketStart('day', now - policy.dayMs)
  }
  const next: RetentionMarks = {
    maintainedAt: Math.max(now, marks.maintainedAt ?? now),
    rolledTo: Math.max(closedTo, marks.rolledTo ?? closedTo),
    rawFrom: Math.max(cut.raw, marks.rawFrom ?? cut.raw)
  }
  return { rollup, cut, next }
}

/** `maintain(now)` takes finite epoch ms; anything else is `VDT_ERR_STORAGE_INVALID_QUERY` (400). */
export function assertMaintenanceTime(now: unknown): asserts now is number {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new InvalidStorageQueryError(`now must be finite epoch milliseconds, got ${String(now)}`)
}

/**
 * The new `dirtyFrom` after writing a result started at `startedAt`: lowered
 * when the result lands in a bucket that is already rolled up (below
 * `rolledTo`), unchanged otherwise.
 */
export function lateMark(marks: RetentionMarks, startedAt: number): number | undefined {
  const { rolledTo, dirtyFrom } = marks
  if (rolledTo === undefined || startedAt >= rolledTo) return dirtyFrom
  return dirtyFrom === undefined ? startedAt : Math.min(dirtyFrom, startedAt)
}

/** The coverage `uptimePlan` needs, once a pass ran. */
export function rollupCoverage(marks: RetentionMarks): RollupCoverage | undefined {
  return marks.maintainedAt === undefined || marks.rolledTo === undefined ? undefined : { maintainedAt: marks.maintainedAt, rolledTo: marks.rolledTo }
}

/** A report with every count at zero, to fill in during a pass. */
export function emptyRetentionReport(): RetentionReport {
  return { rolledUp: { minute: 0, hour: 0, day: 0 }, deleted: { raw: 0, minute: 0, hour: 0, day: 0 }, durationMs: 0 }
}
