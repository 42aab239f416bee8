import type { CheckResult, CheckStatus } from '@vedette/sdk'
import { DURATION_PATTERN, parseDuration } from '../../config/duration.js'

/** The statuses a rule counts as failures: `down` by default, `degraded` too when asked. */
export const failingSchema = {
  description: 'Which run statuses count as failures; default [down].',
  type: 'array',
  items: { enum: ['down', 'degraded', 'unknown'] },
  minItems: 1,
  uniqueItems: true,
  default: ['down']
} as const

/**
 * A rule's duration parameter. The string form is the config's one
 * DURATION_PATTERN: a pattern of its own here once let `'5\tm'` through the
 * schema and then made parseDuration throw on every result of the monitor,
 * and refused `1w` and `30 seconds` that every other duration accepts.
 */
export const durationSchema = (description: string) =>
  ({
    description,
    oneOf: [
      { type: 'string', pattern: DURATION_PATTERN },
      { type: 'integer', minimum: 1 }
    ]
  }) as const

export function failing(statuses: readonly CheckStatus[] | undefined): (r: CheckResult) => boolean {
  const set = new Set<CheckStatus>(statuses ?? ['down'])
  return (r) => set.has(r.status)
}

export function ms(value: string | number, pointer: string): number {
  return parseDuration(value, pointer)
}

export function human(msValue: number): string {
  if (msValue % 86_400_000 === 0) return `${msValue / 86_400_000}d`
  if (msValue % 3_600_000 === 0) return `${msValue / 3_600_000}h`
  if (msValue % 60_000 === 0) return `${msValue / 60_000}m`
  if (msValue % 1000 === 0) return `${msValue / 1000}s`
  return `${msValue}ms`
}

/** The reason of the newest failing run, for summaries: `connect ECONNREFUSED 127.0.0.1:9`. */
export function lastReason(results: readonly CheckResult[], isFailing: (r: CheckResult) => boolean): string {
  const r = results.find(isFailing)
  return r?.message ? `: ${r.message.length > 160 ? `${r.message.slice(0, 160)}…` : r.message}` : ''
}
