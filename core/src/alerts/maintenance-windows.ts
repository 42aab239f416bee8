import { CronExpressionParser } from 'cron-parser'
import { parseDuration } from '../config/duration.js'
import type { MaintenanceInput, MonitorSelector } from './alerting-types.js'
import { compileSelector, normalizeSelector } from './monitor-selector.js'
import type { SelectableMonitor } from './monitor-selector.js'
import type { ConfigError } from '../config/config-error.js'
import { cronProblem, isTimeZone } from '../config/semantic-checks.js'
import { instantOrThrow, parseInstant } from './silences.js'

/** When a window is open: once, or from each cron occurrence (in `timezone`) for `durationMs` of elapsed time. */
export type MaintenanceSchedule =
  | { kind: 'once'; startsAt: number; endsAt: number }
  | { kind: 'recurring'; cron: string; timezone: string; durationMs: number }

/** A maintenance window with its schedule resolved (weekdays + time become a cron expression). */
export interface MaintenanceWindow {
  id: string
  selector: MonitorSelector
  /** `suppress`: keep checking, send no alerts; `pause`: stop checking. */
  mode: 'suppress' | 'pause'
  schedule: MaintenanceSchedule
  comment?: string
}

/** One opening of a window: epoch ms, start inclusive, end exclusive. */
export interface WindowSpan {
  start: number
  end: number
}

/** `HH:MM`, 00:00 to 23:59 (maintenance `time`, quiet hours). */
export const TIME_OF_DAY_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$'

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/**
 * The cron expression of "these weekdays at this local time".
 *
 * @example
 * weekdaysToCron(['mon', 'fri'], '23:30') // '30 23 * * 1,5'
 */
export function weekdaysToCron(weekdays: readonly Weekday[], time: string): string {
  if (!new RegExp(TIME_OF_DAY_PATTERN).test(time)) throw new TypeError(`time must be HH:MM, 00:00 to 23:59 (got ${JSON.stringify(time)})`)
  const days = [...new Set(weekdays.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b)
  if (days.length === 0 || days.includes(-1)) throw new TypeError(`weekdays must be a non-empty list of ${WEEKDAYS.join(', ')} (got ${JSON.stringify(weekdays)})`)
  const [hh, mm] = time.split(':').map(Number)
  return `${mm} ${hh} * * ${days.join(',')}`
}

/**
 * Converts a window as written. The input must have passed alertingProblems
 * (exactly one of startsAt+endsAt, cron+duration, weekdays+time+duration).
 *
 * @param at JSON pointer of the window, for error messages.
 * @throws TypeError when it has none of the three schedule forms or a time is malformed;
 *   VDT_ERR_CONFIG_DURATION for a malformed duration.
 */
export function normalizeMaintenance(input: MaintenanceInput, at = ''): MaintenanceWindow {
  let schedule: MaintenanceSchedule
  if (input.startsAt !== undefined && input.endsAt !== undefined) {
    schedule = { kind: 'once', startsAt: instantOrThrow(input.startsAt, `${at}/startsAt`), endsAt: instantOrThrow(input.endsAt, `${at}/endsAt`) }
  } else if (input.duration !== undefined && (input.cron !== undefined || (input.weekdays !== undefined && input.time !== undefined))) {
    schedule = {
      kind: 'recurring',
      cron: input.cron !== undefined ? input.cron.trim() : weekdaysToCron(input.weekdays ?? [], input.time ?? ''),
      timezone: canonicalZone(input.timezone ?? 'UTC'),
      durationMs: parseDuration(input.duration, `${at}/duration`)
    }
  } else {
    throw new TypeError(`${at || 'maintenance'}: needs startsAt and endsAt, or cron and duration, or weekdays, time and duration`)
  }
  return {
    id: input.id,
    selector: normalizeSelector(input.monitors),
    mode: input.mode,
    schedule,
    ...(input.comment === undefined ? {} : { comment: input.comment })
  }
}

/**
 * The opening of a window that contains `now`, or undefined when it is closed.
 * A recurring window is open from a cron occurrence (computed in its zone,
 * so `23:00` stays 23:00 local across DST) for `durationMs` of elapsed time:
 * a 3h window from Saturday 23:00 in New York ends Sunday 02:00 local, or
 * 03:00 on the night clocks jump forward. When openings overlap, the latest
 * one is returned (it ends last).
 *
 * @example
 * activeWindow({ schedule: { kind: 'recurring', cron: '0 23 * * 6', timezone: 'America/New_York', durationMs: 3 * 3600_000 } },
 *   Date.parse('2025-01-12T06:30:00Z')) // Sunday 01:30 local: { start: Date.parse('2025-01-12T04:00:00Z'), end: ...07:00Z }
 */
export function activeWindow(win: Pick<MaintenanceWindow, 'schedule'>, now: number): WindowSpan | undefined {
  const s = win.schedule
  if (s.kind === 'once') return s.startsAt <= now && now < s.endsAt ? { start: s.startsAt, end: s.endsAt } : undefined
  const start = occurrences(s, now).last
  if (start === undefined || start + s.durationMs <= now) return undefined
  return { start, end: start + s.durationMs }
}

/**
 * When `activeWindow` may next change (the current opening's end, or the
 * next start), so the engine can set one timer; undefined when the window
 * will never open again. With overlapping openings the returned end may be a
 * moment where the window stays open (a newer opening has begun): call again then.
 */
export function nextChange(win: Pick<MaintenanceWindow, 'schedule'>, now: number): number | undefined {
  const s = win.schedule
  if (s.kind === 'once') {
    if (now < s.startsAt) return s.startsAt
    return now < s.endsAt ? s.endsAt : undefined
  }
  const { last, next } = occurrences(s, now)
  if (last !== undefined && last + s.durationMs > now) return last + s.durationMs
  return next
}

/** The windows open at `now` that cover a monitor, with their current opening. */
export function activeMaintenance(
  windows: readonly MaintenanceWindow[],
  monitor: SelectableMonitor,
  now: number
): Array<{ window: MaintenanceWindow } & WindowSpan> {
  const out: Array<{ window: MaintenanceWindow } & WindowSpan> = []
  for (const window of windows) {
    if (!compileSelector(window.selector)(monitor)) continue
    const span = activeWindow(window, now)
    if (span !== undefined) out.push({ window, ...span })
  }
  return out
}

type Recurring = Extract<MaintenanceSchedule, { kind: 'recurring' }>
type Around = { last?: number; next?: number }

// cron-parser with a time zone takes about a millisecond per step, and the
// engine asks about every window for every alert: the answer holds until
// the next occurrence, so it is kept per schedule object until then.
const around = new WeakMap<Recurring, Around>()

function occurrences(s: Recurring, now: number): Around {
  const cached = around.get(s)
  if (cached !== undefined && (cached.last ?? -Infinity) <= now && now < (cached.next ?? Infinity)) return cached
  const fresh = cached?.next !== undefined && now >= cached.next ? advance(s, cached.next, now) ?? occurrencesAround(s.cron, s.timezone, now) : occurrencesAround(s.cron, s.timezone, now)
  around.set(s, fresh)
  return fresh
}

/** Time moved past the cached next occurrence: walk on from it (one step, usually) instead of starting over. */
function advance(s: Recurring, from: number, now: number): Around | undefined {
  try {
    const forward = CronExpressionParser.parse(s.cron, { tz: s.timezone, currentDate: new Date(from) })
    let last = from
    for (let i = 0; i < 8; i++) {
      const t = forward.next().getTime()
      if (t > now) return { last, next: t }
      last = t
    }
  } catch {
    return { last: from }
  }
  return undefined // far behind (the engine slept): start over
}

/**
 * The latest occurrence at or before `now` and the first after it, as one
 * run of cron-parser's `next()` counts them. `next()` and `prev()` disagree
 * around DST, and `next()` even depends on where it starts: `prev()` skips a
 * time in the spring-forward gap (which `next()` moves to just after the
 * jump) and yields a time repeated in the fall-back hour twice, and `next()`
 * started inside the repeated hour yields its second pass too. So step back
 * a few occurrences with `prev()` and walk forward with `next()` from there:
 * `activeWindow` and `nextChange` then agree on every opening.
 */
function occurrencesAround(cron: string, tz: string, now: number): { last?: number; next?: number } {
  const back: number[] = []
  try {
    // prev() is strictly before its start; +1 ms makes an occurrence at `now` count.
    const expr = CronExpressionParser.parse(cron, { tz, currentDate: new Date(now + 1) })
    for (let i = 0; i < 3; i++) back.push(expr.prev().getTime())
  } catch {
    // Fewer than three earlier occurrences (cron-parser's search is bounded): walk from what was found.
  }
  let last = back.at(-1)
  try {
    const forward = CronExpressionParser.parse(cron, { tz, currentDate: new Date(last ?? now) })
    for (let i = 0; i < 8; i++) {
      const t = forward.next().getTime()
      if (t > now) return { ...(last === undefined ? {} : { last }), next: t }
      last = t
    }
    // Only if prev() skipped many occurrences: ask next() from now.
    return { ...(last === undefined ? {} : { last }), next: CronExpressionParser.parse(cron, { tz, currentDate: new Date(now) }).next().getTime() }
  } catch {
    // No later occurrence at all.
    return last === undefined ? {} : { last }
  }
}

/** `europe/paris` → `Europe/Paris`, so equal zones compare equal in diffs and storage. */
export function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
}

const FORMS = 'startsAt and endsAt (once), cron and duration, or weekdays, time and duration'

/**
 * What JSON Schema cannot say about one window as written: exactly one
 * schedule form, complete; a valid zone and cron; a positive duration; an end
 * after the start. Malformed values the schema reports are skipped.
 */
export function maintenanceProblems(input: Record<string, unknown>, at: string): ConfigError[] {
  const problems: ConfigError[] = []
  const has = (key: string): boolean => input[key] !== undefined
  const forms = [has('startsAt') || has('endsAt'), has('cron'), has('weekdays') || has('time')].filter(Boolean).length
  if (forms === 0) return [{ pointer: at, message: `needs a schedule: ${FORMS}` }]
  if (forms > 1) return [{ pointer: at, message: `has more than one schedule; give only one of: ${FORMS}` }]
  const missing = (keys: string[]): void => {
    for (const key of keys) if (!has(key)) problems.push({ pointer: `${at}/${key}`, message: `is required with ${keys.filter((k) => k !== key && has(k)).join(' and ')}` })
  }
  if (has('startsAt') || has('endsAt')) {
    missing(['startsAt', 'endsAt'])
    for (const key of ['duration', 'timezone']) {
      if (has(key)) problems.push({ pointer: `${at}/${key}`, message: 'only applies to recurring windows (cron or weekdays + time)' })
    }
    const start = parseInstant(input.startsAt)
    const end = parseInstant(input.endsAt)
    if (start !== undefined && end !== undefined && end <= start) problems.push({ pointer: `${at}/endsAt`, message: 'must be after startsAt' })
    return problems
  }
  missing(has('cron') ? ['cron', 'duration'] : ['weekdays', 'time', 'duration'])
  let zone = 'UTC'
  if (typeof input.timezone === 'string' && input.timezone !== '') {
    if (isTimeZone(input.timezone)) zone = input.timezone
    else problems.push({ pointer: `${at}/timezone`, message: `must be an IANA time zone like Europe/Paris or UTC (got ${JSON.stringify(input.timezone)})` })
  }
  if (typeof input.cron === 'string' && input.cron !== '') {
    const problem = cronProblem(input.cron, zone)
    if (problem !== undefined) problems.push({ pointer: `${at}/cron`, message: `is not a valid cron expression: ${problem} (got ${JSON.stringify(input.cron)})` })
  }
  if (isZeroDuration(input.duration)) problems.push({ pointer: `${at}/duration`, message: 'must be greater than 0' })
  return problems
}

function isZeroDuration(value: unknown): boolean {
  try {
    return (typeof value === 'string' || typeof value === 'number') && parseDuration(value) === 0
  } catch {
    return false // malformed: the schema reports it
  }
}
