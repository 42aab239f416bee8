import { defineAlertRule, percentile } from '@vedette/sdk'
import type { AlertRuleKind, CheckStatus } from '@vedette/sdk'
import { durationSchema, failing, failingSchema, human, lastReason, ms } from './rule-params.js'

// Every kind's paramsSchema is closed (additionalProperties: false): open,
// a misspelt parameter (`treshold: 5`) validated and the rule silently ran
// on its default.

interface ConsecutiveParams { threshold?: number; failing?: CheckStatus[] }
interface WindowParams { failures: number; within?: string | number; of?: number; failing?: CheckStatus[] }
interface LatencyParams { percentile?: number; above: string | number; within: string | number; minSamples?: number }
interface DegradedForParams { for: string | number }
interface CertificateParams { days: number; observation?: string }
interface FlappingParams { changes: number; within: string | number; calmAfter?: string | number }

/** N failed runs in a row. */
export const consecutiveRule = defineAlertRule<ConsecutiveParams>({
  kind: 'consecutive',
  description: 'Fires after `threshold` failed runs in a row; resolves on the first run that is not a failure.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { threshold: { description: 'Failed runs in a row; default 2.', type: 'integer', minimum: 1, maximum: 1000, default: 2 }, failing: failingSchema }
  },
  history: (p) => ({ runs: p.threshold ?? 2 }),
  judge(p, { recent, firing }) {
    const n = p.threshold ?? 2
    const isFailing = failing(p.failing)
    // `unknown` runs (overloaded, plugin error) say nothing about the target: they neither extend nor break a streak.
    let streak = 0
    for (const r of recent) {
      if (isFailing(r)) streak++
      else if (r.status !== 'unknown') break
    }
    // An open alert resolves on a run that is not a failure, never for lack of history
    // (a node that just took the monitor over has seen one failed run, not `threshold`).
    if (firing) return { firing: streak > 0 || recent.every((r) => r.status === 'unknown'), summary: streak > 0 ? `${streak} consecutive failed run${streak === 1 ? '' : 's'} (threshold ${n})${lastReason(recent, isFailing)}` : 'recovered' }
    return { firing: streak >= n, summary: `${streak} consecutive failed run${streak === 1 ? '' : 's'} (threshold ${n})${lastReason(recent, isFailing)}` }
  }
})

/** x failures in y minutes, or k of the last n runs. */
export const windowRule = defineAlertRule<WindowParams>({
  kind: 'window',
  description: 'Fires when at least `failures` runs failed within the time window `within`, or among the last `of` runs.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['failures'],
    properties: {
      failures: { description: 'Failed runs needed to fire.', type: 'integer', minimum: 1 },
      within: durationSchema('A time window, e.g. 10m. Exactly one of within and of.'),
      of: { description: 'The last n runs. Exactly one of within and of.', type: 'integer', minimum: 1, maximum: 1000 },
      failing: failingSchema
    },
    oneOf: [{ required: ['within'] }, { required: ['of'] }]
  },
  history: (p) => (p.of !== undefined ? { runs: p.of } : { windowMs: ms(p.within ?? 0, '/within') }),
  judge(p, { recent, now }) {
    const isFailing = failing(p.failing)
    const pool = p.of !== undefined ? recent.slice(0, p.of) : recent.filter((r) => r.startedAt > now - ms(p.within ?? 0, '/within'))
    const failed = pool.filter(isFailing).length
    const scope = p.of !== undefined ? `of the last ${pool.length} runs` : `runs in ${human(ms(p.within ?? 0, '/within'))}`
    return { firing: failed >= p.failures, summary: `${failed} failed ${scope} (threshold ${p.failures})${lastReason(pool, isFailing)}` }
  }
})

/** A latency percentile over a window above a threshold. */
export const latencyRule = defineAlertRule<LatencyParams>({
  kind: 'latency',
  description: 'Fires when the `percentile` (default 95) of run latencies over `within` is above `above`.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['above', 'within'],
    properties: {
      percentile: { description: 'Default 95.', type: 'number', exclusiveMinimum: 0, maximum: 100, default: 95 },
      above: durationSchema('Latency threshold, e.g. 500ms.'),
      within: durationSchema('Window the percentile is taken over, e.g. 5m.'),
      minSamples: { description: 'Runs needed in the window before the rule judges; default 3.', type: 'integer', minimum: 1, default: 3 }
    }
  },
  history: (p) => ({ windowMs: ms(p.within, '/within') }),
  judge(p, { recent, now }) {
    const windowMs = ms(p.within, '/within')
    const q = p.percentile ?? 95
    const samples = recent.filter((r) => r.startedAt > now - windowMs && r.status !== 'unknown').map((r) => r.latencyMs)
    if (samples.length < (p.minSamples ?? 3)) return { firing: false, summary: `${samples.length} runs in ${human(windowMs)}: too few to judge latency` }
    const value = percentile([...samples].sort((a, b) => a - b), q)
    const limit = ms(p.above, '/above')
    return { firing: value > limit, summary: `p${q} latency ${Math.round(value)} ms ${value > limit ? '>' : '<='} ${limit} ms over ${human(windowMs)}` }
  }
})

/** Degraded for longer than T. */
export const degradedForRule = defineAlertRule<DegradedForParams>({
  kind: 'degraded-for',
  description: 'Fires when the monitor has been degraded for longer than `for`.',
  paramsSchema: { type: 'object', additionalProperties: false, required: ['for'], properties: { for: durationSchema('How long the monitor may stay degraded, e.g. 15m.') } },
  history: () => ({ runs: 1 }),
  judge(p, { status, statusSince, now }) {
    const limit = ms(p.for, '/for')
    if (status !== 'degraded') return { firing: false, summary: `status ${status}` }
    return { firing: now - statusSince >= limit, summary: `degraded for ${human(Math.max(0, Math.round((now - statusSince) / 1000) * 1000))} (limit ${human(limit)})` }
  }
})

/** Fewer than N days of certificate validity left. */
export const certificateExpiryRule = defineAlertRule<CertificateParams>({
  kind: 'certificate-expiry',
  description: 'Fires when the `daysUntilExpiry` observation (http on https, tls checks) is below `days`.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['days'],
    properties: {
      days: { description: 'Fire below this many days.', type: 'number', minimum: 0 },
      observation: { description: 'Observation holding the days; default daysUntilExpiry.', type: 'string', default: 'daysUntilExpiry' }
    }
  },
  history: () => ({ runs: 1 }),
  judge(p, { result }) {
    const value = result.observations?.[p.observation ?? 'daysUntilExpiry']
    if (typeof value !== 'number') return { firing: false, summary: 'no certificate expiry in the last run' }
    return { firing: value < p.days, summary: `certificate expires in ${Math.floor(value)} day${Math.floor(value) === 1 ? '' : 's'} (threshold ${p.days})` }
  }
})

/** A heartbeat monitor whose job is late or stuck (or failed, with `includeFailed`). */
export const heartbeatMissedRule = defineAlertRule<{ includeFailed?: boolean }>({
  kind: 'heartbeat-missed',
  description: 'Fires when a heartbeat monitor reports its job late or a started run stuck (and, with includeFailed, a run that reported failure).',
  paramsSchema: { type: 'object', additionalProperties: false, properties: { includeFailed: { description: 'Also fire on /fail and non-zero exit codes; default true.', type: 'boolean', default: true } } },
  history: () => ({ runs: 1 }),
  judge(p, { result }) {
    const state = result.observations?.state
    const bad = state === 'late' || state === 'stuck' || (state === 'failed' && p.includeFailed !== false)
    return { firing: bad, summary: bad ? (result.message ?? `heartbeat ${String(state)}`) : `heartbeat ${String(state ?? 'ok')}` }
  }
})

/**
 * More than `changes` status changes within `within`: one `flapping` alert
 * instead of one notice per flip (it quiets the monitor's other alerts). It
 * clears with hysteresis: only after `calmAfter` (default: `within`) without a
 * change, and once the window holds no more than `changes` changes.
 */
export const flappingRule = defineAlertRule<FlappingParams>({
  kind: 'flapping',
  description: 'Fires when the monitor changed status more than `changes` times within `within`; resolves after `calmAfter` without a change.',
  quietsOthers: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['changes', 'within'],
    properties: {
      changes: { description: 'Status changes allowed in the window.', type: 'integer', minimum: 1 },
      within: durationSchema('The window, e.g. 10m.'),
      calmAfter: durationSchema('Quiet time before the alert resolves; default the window.')
    }
  },
  history: (p) => ({ windowMs: Math.max(ms(p.within, '/within'), ms(p.calmAfter ?? p.within, '/calmAfter')) }),
  judge(p, { transitions, now, firing }) {
    const windowMs = ms(p.within, '/within')
    const calmMs = ms(p.calmAfter ?? p.within, '/calmAfter')
    const flips = transitions.filter((e) => e.at > now - windowMs && isFlip(e.from, e.to)).length
    const lastFlip = transitions.find((e) => isFlip(e.from, e.to))
    if (!firing) {
      const flapping = flips > p.changes
      return { firing: flapping, summary: `${flips} status changes in ${human(windowMs)} (${flapping ? 'more than' : 'limit'} ${p.changes})` }
    }
    // Hysteresis: an open flapping alert stays open until the monitor has been
    // calm for calmAfter — and while the window still holds more than
    // `changes` flips: with a calmAfter shorter than the window, resolving on
    // calm alone re-fired it at the next result, so the flapping alert flapped.
    const calm = (lastFlip === undefined || now - lastFlip.at >= calmMs) && flips <= p.changes
    return { firing: !calm, summary: calm ? `no status change for ${human(calmMs)}` : `still flapping: ${flips} status changes in ${human(windowMs)}` }
  }
})

function isFlip(from: string, to: string): boolean {
  const judged = ['up', 'degraded', 'down']
  return judged.includes(from) && judged.includes(to)
}

/** The kinds the engine ships. */
export const BUILTIN_RULE_KINDS: readonly AlertRuleKind<never>[] = [
  consecutiveRule,
  windowRule,
  latencyRule,
  degradedForRule,
  certificateExpiryRule,
  heartbeatMissedRule,
  flappingRule
] as unknown as readonly AlertRuleKind<never>[]
