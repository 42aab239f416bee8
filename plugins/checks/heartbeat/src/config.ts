import { CronExpressionParser } from 'cron-parser'
import ms from 'ms'

/** A monitor's `config` block for `type: heartbeat`; mirrors `vedette.configSchema` in package.json. */
export interface HeartbeatConfig {
  /** Expected time between successes, e.g. `1h`. Exactly one of `period` and `cron`. */
  period?: string | number
  /** When the job runs (cron expression). */
  cron?: string
  /** IANA zone for `cron`; default UTC. */
  timezone?: string
  /** Default `1m`. */
  grace?: string | number
}

export const HEARTBEAT_DEFAULTS = { grace: '1m', timezone: 'UTC' } as const

export type CompiledHeartbeat =
  | { mode: 'period'; periodMs: number; graceMs: number }
  | { mode: 'cron'; cron: string; timezone: string; graceMs: number }

/** `1h`, `90s`, `500ms` or a number of ms; undefined when it is none of them. */
export function durationMs(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const parsed = ms(value.replace(/\s+/g, '') as ms.StringValue)
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed > 0 ? parsed : undefined
}

/** Checks what the schema cannot (cron syntax, the zone) and fills defaults; problems go to `problems`. */
export function compileHeartbeatConfig(config: HeartbeatConfig, problems: string[]): CompiledHeartbeat | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const graceMs = durationMs(config.grace ?? HEARTBEAT_DEFAULTS.grace)
  if (graceMs === undefined) problems.push(`grace must be a duration such as 5m, got ${JSON.stringify(config.grace)}`)
  const hasPeriod = config.period !== undefined
  const hasCron = config.cron !== undefined
  if (hasPeriod === hasCron) {
    problems.push('give exactly one of period and cron')
    return undefined
  }
  if (hasPeriod) {
    const periodMs = durationMs(config.period)
    if (periodMs === undefined) problems.push(`period must be a duration such as 1h, got ${JSON.stringify(config.period)}`)
    if (periodMs === undefined || graceMs === undefined) return undefined
    return { mode: 'period', periodMs, graceMs }
  }
  const timezone = config.timezone ?? HEARTBEAT_DEFAULTS.timezone
  if (!isTimeZone(timezone)) problems.push(`timezone ${JSON.stringify(timezone)} is not an IANA time zone`)
  const cron = String(config.cron)
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' })
  } catch (err) {
    problems.push(`cron ${JSON.stringify(cron)} does not parse: ${(err as Error).message}`)
  }
  if (problems.length > 0 || graceMs === undefined) return undefined
  return { mode: 'cron', cron, timezone, graceMs }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
