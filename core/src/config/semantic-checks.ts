import { assertionCapabilityProblem } from './assertion-capabilities.js'
import type { PluginSchemaInfo } from './config-schema.js'
import { normalizeAssertions } from '@vedette/sdk'
import { CronExpressionParser } from 'cron-parser'
import type { ConfigError } from './config-error.js'
import { parseDuration } from './duration.js'
import { joinPointer } from './json-pointer.js'
import type { Duration } from './types.js'
import { alertingProblems } from '../alerts/alerting-problems.js'
import type { AlertingInput } from '../alerts/alerting-types.js'
import { dependencyProblems } from '../alerts/dependencies.js'

/** Shorter intervals would let a few monitors saturate the pool and the store. */
export const MIN_INTERVAL_MS = 1000

/**
 * Rules JSON Schema cannot express: unique ids, cron syntax, time zones and
 * how durations relate. Runs on documents that may also have schema errors,
 * so every value is type-checked here and a malformed one is skipped (the
 * schema already reports it).
 */
export function semanticChecks(input: unknown, plugins?: PluginSchemaInfo): ConfigError[] {
  const errors: ConfigError[] = []
  if (!isRecord(input)) return errors
  if (Array.isArray(input.monitors)) {
    const firstUse = new Map<string, number>()
    input.monitors.forEach((monitor, i) => {
      if (!isRecord(monitor)) return
      const at = joinPointer('/monitors', i)
      if (typeof monitor.id === 'string') {
        const first = firstUse.get(monitor.id)
        if (first === undefined) firstUse.set(monitor.id, i)
        else errors.push({ pointer: `${at}/id`, message: `duplicate monitor id "${monitor.id}" (already used by /monitors/${first})`, expected: 'an id no other monitor has' })
      }
      errors.push(...scheduleErrors(monitor, at))
      if (Array.isArray(monitor.assertions)) {
        const check = plugins?.checks.find((c) => c.type === monitor.type)
        monitor.assertions.forEach((entry, j) => {
          try {
            const [node] = normalizeAssertions([entry as string | object])
            const problem = node === undefined || check === undefined ? undefined : assertionCapabilityProblem(node, check)
            if (problem !== undefined) errors.push({ pointer: `${at}/assertions/${j}`, message: problem })
          } catch (err) {
            // The message says `assertions[0]` (one entry at a time); the pointer says which.
            errors.push({ pointer: `${at}/assertions/${j}`, message: (err as Error).message.replace(/^assertions\[0\][:.]?\s*/, '') })
          }
        })
      }
    })
  }
  if (isRecord(input.engine)) {
    for (const key of ['hookTimeout', 'flushInterval'] as const) {
      if (durationOf(input.engine[key]) === 0) {
        errors.push({ pointer: `/engine/${key}`, message: 'must be greater than 0', expected: 'a duration like 250ms' })
      }
    }
  }
  const monitors = Array.isArray(input.monitors) ? input.monitors.filter(isRecord) : []
  const ids = new Set(monitors.flatMap((m) => (typeof m.id === 'string' ? [m.id] : [])))
  errors.push(...alertingProblems(input as AlertingInput, ids))
  errors.push(...dependencyProblems(monitors.filter((m) => typeof m.id === 'string').map((m) => ({ id: m.id as string, tags: Array.isArray(m.tags) ? (m.tags as string[]) : [], ...(isRecord(m.dependsOn) ? { dependsOn: m.dependsOn as { monitors?: string[]; tags?: string[] } } : {}) }))))
  return errors
}

function scheduleErrors(monitor: Record<string, unknown>, at: string): ConfigError[] {
  const errors: ConfigError[] = []
  const interval = durationOf(monitor.interval)
  if (interval !== undefined && interval < MIN_INTERVAL_MS) {
    errors.push({ pointer: `${at}/interval`, message: `must be at least 1s (got ${JSON.stringify(monitor.interval)})`, expected: 'a duration of 1s or more' })
  }
  const timeout = durationOf(monitor.timeout)
  if (timeout === 0) {
    errors.push({ pointer: `${at}/timeout`, message: 'must be greater than 0', expected: 'a duration like 5s' })
  } else if (timeout !== undefined && interval !== undefined && timeout > interval) {
    // A run still going when the next is due would pile up runs of one target.
    errors.push({
      pointer: `${at}/timeout`,
      message: `must not be longer than the interval, ${asWritten(monitor.interval)} (got ${JSON.stringify(monitor.timeout)})`,
      expected: 'a duration no longer than the interval'
    })
  }

  let zone = 'UTC'
  if (typeof monitor.timezone === 'string' && monitor.timezone !== '') {
    if (!isTimeZone(monitor.timezone)) {
      errors.push({
        pointer: `${at}/timezone`,
        message: `must be an IANA time zone like Europe/Paris or UTC (got ${JSON.stringify(monitor.timezone)})`,
        expected: 'an IANA time zone name'
      })
    } else zone = monitor.timezone
    if (monitor.cron === undefined && monitor.interval !== undefined) {
      errors.push({ pointer: `${at}/timezone`, message: 'only applies to cron schedules: remove it, or use cron instead of interval' })
    }
  }
  if (typeof monitor.cron === 'string' && monitor.cron !== '') {
    const problem = cronProblem(monitor.cron, zone)
    if (problem !== undefined) {
      errors.push({
        pointer: `${at}/cron`,
        message: `is not a valid cron expression: ${problem} (got ${JSON.stringify(monitor.cron)})`,
        expected: 'a cron expression like "*/5 * * * *" or a macro like @daily'
      })
    }
  }
  return errors
}

/** Why an expression is not a usable schedule, or undefined when it is. */
export function cronProblem(expression: string, timezone: string): string | undefined {
  const trimmed = expression.trim()
  // cron-parser fills in missing fields, so `*/5 * * *` would silently mean
  // something nobody wrote; insist on the standard shapes.
  if (!trimmed.startsWith('@')) {
    const fields = trimmed.split(/\s+/).length
    if (fields !== 5 && fields !== 6) {
      return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, found ${fields}`
    }
  }
  try {
    // next() also rejects expressions that never fire, such as 30 February.
    CronExpressionParser.parse(trimmed, { tz: timezone }).next()
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/** True for names the runtime's time zone database knows (`UTC`, `Europe/Paris`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** A duration as ms when the value is one, undefined otherwise (the schema reports malformed ones). */
export function durationOf(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  try {
    return parseDuration(value as Duration)
  } catch {
    return undefined
  }
}

function asWritten(duration: unknown): string {
  return typeof duration === 'number' ? `${duration}ms` : String(duration)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
