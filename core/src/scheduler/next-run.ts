import { CronExpressionParser } from 'cron-parser'

export type Schedule = { kind: 'interval'; everyMs: number } | { kind: 'cron'; expression: string; timezone: string }

/** FNV-1a: a stable, cheap hash so a monitor keeps its slot across restarts. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * The first fire time strictly after `after`. Interval monitors fire on a grid
 * shifted by a hash of their key, so 10,000 monitors at 30 s spread evenly over
 * the 30 s instead of all firing at start, and land in the same slots after a
 * restart. Cron monitors use cron-parser with their timezone.
 */
export function nextRun(schedule: Schedule, key: string, after: number): number {
  if (schedule.kind === 'interval') {
    const every = schedule.everyMs
    const offset = stableHash(key) % every
    const phase = (((after - offset) % every) + every) % every
    return after - phase + every
  }
  const it = CronExpressionParser.parse(schedule.expression, { tz: schedule.timezone, currentDate: new Date(after) })
  return it.next().getTime()
}

export function sameSchedule(a: Schedule, b: Schedule): boolean {
  if (a.kind === 'interval' && b.kind === 'interval') return a.everyMs === b.everyMs
  if (a.kind === 'cron' && b.kind === 'cron') return a.expression === b.expression && a.timezone === b.timezone
  return false
}
