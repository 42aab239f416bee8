import type { ConfigError } from '../config/config-error.js'
import type { MonitorSelector, SilenceInput } from './alerting-types.js'
import { compileSelector, normalizeSelector } from './monitor-selector.js'
import type { SelectableMonitor } from './monitor-selector.js'

/**
 * What a point in time written as text must look like: an RFC 3339 date-time
 * with an explicit offset (`2025-06-01T22:00:00Z`, `2025-06-01T22:00+02:00`).
 * A time without an offset would be read in the server's zone, which is
 * rarely the zone of the person who wrote it, so it is refused. Shared by the
 * JSON Schema and `parseInstant`, so what the schema accepts always parses.
 */
export const INSTANT_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$'

const instantRe = new RegExp(INSTANT_PATTERN)

/**
 * A config time (ISO text with an offset, or epoch milliseconds) as epoch
 * milliseconds, or undefined when it is neither (or names no real date, like
 * 31 February).
 *
 * @example
 * parseInstant('2025-01-07T04:00:00Z') // 1736222400000
 * parseInstant(1736222400000)          // 1736222400000
 * parseInstant('2025-01-07 04:00')     // undefined: no offset
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string' || !instantRe.test(value)) return undefined
  const ms = Date.parse(value.replace(' ', 'T'))
  if (!Number.isFinite(ms)) return undefined
  // Date.parse rolls 2025-02-31 over to 3 March instead of failing: compare the date back.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number)
  const probe = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 0))
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== (m ?? 0) - 1 || probe.getUTCDate() !== d) return undefined
  return ms
}

/** A silence with its times in epoch ms: matching alerts are kept but not notified while it is active. */
export interface Silence {
  id: string
  selector: MonitorSelector
  /** Epoch ms, inclusive. */
  startsAt: number
  /** Epoch ms, exclusive. */
  endsAt: number
  /** End it as soon as every alert it matched has resolved (the alert engine does this). */
  expireOnResolve: boolean
  comment?: string
  createdBy?: string
}

/**
 * Converts a silence as written. `startsAt` defaults to `now`, so a silence
 * added through the API starts when it is added; its `endsAt` is kept even
 * if already past (an expired silence is history, not an error).
 *
 * @param at JSON pointer of the silence, for the error message.
 * @throws TypeError when a time is not ISO text with an offset or epoch ms (alertingProblems reports it first).
 */
export function normalizeSilence(input: SilenceInput, now: number, at = ''): Silence {
  const startsAt = input.startsAt === undefined ? now : instantOrThrow(input.startsAt, `${at}/startsAt`)
  return {
    id: input.id,
    selector: normalizeSelector(input.monitors),
    startsAt,
    endsAt: instantOrThrow(input.endsAt, `${at}/endsAt`),
    expireOnResolve: input.expireOnResolve ?? false,
    ...(input.comment === undefined ? {} : { comment: input.comment }),
    ...(input.createdBy === undefined ? {} : { createdBy: input.createdBy })
  }
}

/** Whether a silence is in force at `now` (from startsAt inclusive to endsAt exclusive). */
export function isSilenceActive(silence: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): boolean {
  return silence.startsAt <= now && now < silence.endsAt
}

/**
 * The silences in force at `now` that cover a monitor, in the order given;
 * an alert for the monitor is silenced when this is not empty.
 *
 * @example
 * activeSilences(config.silences, monitor, Date.now()).map((s) => s.id) // ['db-migration']
 */
export function activeSilences(silences: readonly Silence[], monitor: SelectableMonitor, now: number): Silence[] {
  return silences.filter((s) => isSilenceActive(s, now) && compileSelector(s.selector)(monitor))
}

/** The earliest start or end of a silence after `now`, so the engine can set one timer; undefined when none is ahead. */
export function nextSilenceChange(silences: readonly Silence[], now: number): number | undefined {
  let next: number | undefined
  for (const s of silences) {
    for (const t of [s.startsAt, s.endsAt]) if (t > now && (next === undefined || t < next)) next = t
  }
  return next
}

/** Epoch ms of a config time; throws a TypeError naming `field` when it is malformed. */
export function instantOrThrow(value: string | number, field: string): number {
  const ms = parseInstant(value)
  if (ms === undefined) {
    throw new TypeError(`${field}: must be an ISO time with an offset like 2025-06-01T22:00:00Z, or epoch milliseconds (got ${JSON.stringify(value)})`)
  }
  return ms
}

/**
 * What JSON Schema cannot say about one silence as written: times that name
 * no real date, and an end not after an explicit start. An end already past
 * is fine (the silence is simply over).
 */
export function silenceProblems(input: Record<string, unknown>, at: string): ConfigError[] {
  const problems: ConfigError[] = []
  const times: Record<string, number | undefined> = {}
  for (const key of ['startsAt', 'endsAt']) {
    const value = input[key]
    if (typeof value !== 'string') continue
    times[key] = parseInstant(value)
    // A wrong shape is the schema's to report; a right shape that is no date (31 February) is ours.
    if (times[key] === undefined && instantRe.test(value)) problems.push({ pointer: `${at}/${key}`, message: `is not a real date and time (got ${JSON.stringify(value)})` })
  }
  const start = typeof input.startsAt === 'number' ? input.startsAt : times.startsAt
  const end = typeof input.endsAt === 'number' ? input.endsAt : times.endsAt
  if (start !== undefined && end !== undefined && end <= start) problems.push({ pointer: `${at}/endsAt`, message: 'must be after startsAt' })
  return problems
}
