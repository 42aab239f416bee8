import { CronExpressionParser } from 'cron-parser'
import type { ConfigError } from '../config/config-error.js'
import { isTimeZone } from '../config/semantic-checks.js'

/** A daily stretch of local time, `HH:MM` to `HH:MM` (end exclusive); it may cross midnight. */
export interface QuietHours {
  start: string
  end: string
  /** IANA zone of start and end; default UTC. */
  timezone?: string
}

// Building an Intl formatter costs far more than using one, and quiet hours
// are checked for every notification to every person: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })
    formatters.set(zone, f)
  }
  return f
}

/** Minutes since local midnight at `now` in `zone` (wall-clock time, so it follows DST). */
export function localMinutes(now: number, zone = 'UTC'): number {
  let hour = 0
  let minute = 0
  for (const part of formatterFor(zone).formatToParts(now)) {
    if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'minute') minute = Number(part.value)
  }
  // Some engines print midnight as 24 even with h23; it is minute 0 of the day.
  return (hour % 24) * 60 + minute
}

function minutesOf(hhmm: string, field: string): number {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(hhmm)
  if (m === null) throw new TypeError(`quiet hours ${field} must be HH:MM, 00:00 to 23:59 (got ${JSON.stringify(hhmm)})`)
  return Number(m[1]) * 60 + Number(m[2])
}

/**
 * Whether `now` falls in the quiet hours, by the local wall clock of their
 * zone: `22:00`–`07:00` covers 23:30 and 06:59 but not 07:00. Equal start
 * and end is an empty stretch (never quiet); alertingProblems reports it.
 *
 * @throws TypeError for a malformed time or unknown zone (alertingProblems reports them first).
 * @example
 * inQuietHours({ start: '22:00', end: '07:00', timezone: 'Europe/Paris' }, Date.parse('2025-01-10T05:30:00Z')) // true: 06:30 in Paris
 */
export function inQuietHours(q: QuietHours, now: number): boolean {
  const start = minutesOf(q.start, 'start')
  const end = minutesOf(q.end, 'end')
  const t = localMinutes(now, q.timezone ?? 'UTC')
  if (start === end) return false
  return start < end ? start <= t && t < end : t >= start || t < end
}

/**
 * When the quiet hours that contain `now` end (epoch ms), so held-back
 * notifications can be sent then; undefined when `now` is not in them. On
 * the night clocks jump forward past the end time (02:30 in Europe/Paris on
 * the last Sunday of March), they end just after the jump.
 */
export function quietHoursEnd(q: QuietHours, now: number): number | undefined {
  if (!inQuietHours(q, now)) return undefined
  const [hh, mm] = q.end.split(':').map(Number)
  return CronExpressionParser.parse(`${mm} ${hh} * * *`, { tz: q.timezone ?? 'UTC', currentDate: new Date(now) }).next().getTime()
}

/** What JSON Schema cannot say about quiet hours as written: a known zone, and start differing from end. */
export function quietHoursProblems(input: Record<string, unknown>, at: string): ConfigError[] {
  const problems: ConfigError[] = []
  if (typeof input.timezone === 'string' && !isTimeZone(input.timezone)) {
    problems.push({ pointer: `${at}/timezone`, message: `must be an IANA time zone like Europe/Paris or UTC (got ${JSON.stringify(input.timezone)})` })
  }
  if (typeof input.start === 'string' && input.start === input.end) {
    problems.push({ pointer: `${at}/end`, message: 'must differ from start (equal times would make the quiet hours empty)' })
  }
  return problems
}
