import { CronExpressionParser } from 'cron-parser'
import type { CompiledHeartbeat } from './config.js'

/** When the job should next report success, and the latest due time whose grace has run out. */
export interface Expectation {
  /** Epoch ms of the latest expected success whose grace ended at or before `now`, when there is one since `since`. */
  overdueFrom?: number
  /** A success at or after this time answers `overdueFrom` (a little before it, for jobs that ping early). */
  answeredAfter?: number
  /** When the next success is expected (for display and `nextExpectedAt`). */
  nextExpectedAt: number
}

/**
 * Period mode: a success is due `period` after the last one (or after `since`
 * when there was none). Cron mode: one success is due after each occurrence of
 * the expression in its zone; the occurrence that matters is the latest one
 * whose grace has run out, and a success counts for it if it came no earlier
 * than half the gap to the occurrence before (or `grace` before, if smaller),
 * so a job whose clock runs a little ahead is not reported missing.
 */
export function expectation(config: CompiledHeartbeat, lastSuccessAt: number | undefined, since: number, now: number): Expectation {
  if (config.mode === 'period') {
    const due = (lastSuccessAt ?? since) + config.periodMs
    return due + config.graceMs <= now ? { overdueFrom: due, answeredAfter: due - config.periodMs + 1, nextExpectedAt: due } : { nextExpectedAt: due }
  }
  const next = CronExpressionParser.parse(config.cron, { tz: config.timezone, currentDate: new Date(now) }).next().getTime()
  const lastDue = CronExpressionParser.parse(config.cron, { tz: config.timezone, currentDate: new Date(now - config.graceMs + 1) }).prev().getTime()
  if (lastDue < since) return { nextExpectedAt: next }
  const before = CronExpressionParser.parse(config.cron, { tz: config.timezone, currentDate: new Date(lastDue) }).prev().getTime()
  const tolerance = Math.min(config.graceMs, (lastDue - before) / 2)
  return { overdueFrom: lastDue, answeredAfter: lastDue - tolerance, nextExpectedAt: next }
}
