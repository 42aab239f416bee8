import type { AlertSeverity } from '@vedette/sdk'
import { parseDuration } from '../config/duration.js'
import type { AlertingInput, DeliveryInput, MonitorSelector, RuleInput, TemplateInput } from './alerting-types.js'
import { RULE_COMMON_FIELDS, SEVERITIES } from './alerting-schema.js'
import { canonicalZone, normalizeMaintenance } from './maintenance-windows.js'
import type { MaintenanceWindow } from './maintenance-windows.js'
import { normalizeSelector } from './monitor-selector.js'
import type { QuietHours } from './quiet-hours.js'
import { normalizeSilence } from './silences.js'
import type { Silence } from './silences.js'

/** How notifications to a channel are delivered, in ms. */
export interface DeliverySettings {
  timeoutMs: number
  maxAttempts: number
  backoffMs: number
  maxBackoffMs: number
  failuresBeforeFallback: number
}

/** Every alerting default the config reference promises, in one place. */
export const ALERTING_DEFAULTS = {
  groupWindowMs: 3_000,
  severity: 'critical',
  delivery: { timeoutMs: 10_000, maxAttempts: 8, backoffMs: 2_000, maxBackoffMs: 300_000, failuresBeforeFallback: 3 }
} as const satisfies { groupWindowMs: number; severity: AlertSeverity; delivery: DeliverySettings }

export interface NormalizedChannel {
  id: string
  type: string
  config: Record<string, unknown>
  template?: TemplateInput
  fallback?: string
  /** `alerts.delivery` with this channel's `delivery` laid over it. */
  delivery: DeliverySettings
  enabled: boolean
}

export interface NormalizedUser {
  id: string
  name: string
  contacts: string[]
  preferences: {
    /** Default: every severity. */
    severities: AlertSeverity[]
    /** Default: every contact. */
    channels: string[]
    /** The zone is always set (default UTC) and canonical. */
    quietHours?: Required<QuietHours>
  }
}

export interface NormalizedRule {
  id: string
  kind: string
  severity: AlertSeverity
  /** `{}` covers every monitor. */
  selector: MonitorSelector
  /** The rule's channels, else `alerts.defaults.channels`, else none. */
  channels: string[]
  /** The rule's policy; `alerts.defaults.escalation` only when the rule has neither channels nor escalation. */
  escalation?: string
  /** Undefined: no reminders. */
  reminderEveryMs?: number
  template?: TemplateInput
  enabled: boolean
  /** The kind's own fields, as written (the kind parses them). */
  params: Record<string, unknown>
}

export interface NormalizedEscalationPolicy {
  id: string
  /** `afterMs` counts from when the alert started firing; steps are in order. */
  steps: Array<{ afterMs: number; channels: string[]; users: string[] }>
  /** After the last step: start again forever (`true`), this many more times, or never (`false`). */
  repeat: boolean | number
}

/** The alerting config with every default applied and every duration and time in ms. */
export interface NormalizedAlerting {
  channels: NormalizedChannel[]
  users: NormalizedUser[]
  rules: NormalizedRule[]
  silences: Silence[]
  maintenance: MaintenanceWindow[]
  escalationPolicies: NormalizedEscalationPolicy[]
  groupWindowMs: number
  /** `alerts.delivery` over the defaults; each channel's own settings are in its `delivery`. */
  delivery: DeliverySettings
}

const COMMON = new Set<string>(RULE_COMMON_FIELDS)

/**
 * Applies every alerting default and converts durations and times to
 * milliseconds. The input must have passed schema validation and
 * `alertingProblems`; the result shares no objects with it.
 *
 * @param now default start of silences without `startsAt`.
 * @throws VDT_ERR_CONFIG_DURATION for a malformed duration; TypeError for a malformed time or maintenance schedule.
 * @example
 * const alerting = normalizeAlerting(input, Date.now())
 * alerting.rules[0]?.params // { failures: 3 } for `{ id: 'down', kind: 'consecutive', failures: 3 }`
 */
export function normalizeAlerting(input: AlertingInput, now: number): NormalizedAlerting {
  const a = input.alerts ?? {}
  const delivery = mergeDelivery(ALERTING_DEFAULTS.delivery, a.delivery, '/alerts/delivery')
  const defaults = a.defaults ?? {}
  return {
    channels: (input.channels ?? []).map((c, i) => ({
      id: c.id,
      type: c.type,
      config: structuredClone(c.config ?? {}),
      ...(c.template === undefined ? {} : { template: { ...c.template } }),
      ...(c.fallback === undefined ? {} : { fallback: c.fallback }),
      delivery: mergeDelivery(delivery, c.delivery, `/channels/${i}/delivery`),
      enabled: c.enabled ?? true
    })),
    users: (input.users ?? []).map((u) => {
      const q = u.preferences?.quietHours
      return {
        id: u.id,
        name: u.name,
        contacts: [...u.contacts],
        preferences: {
          severities: [...(u.preferences?.severities ?? SEVERITIES)],
          channels: [...(u.preferences?.channels ?? u.contacts)],
          ...(q === undefined ? {} : { quietHours: { start: q.start, end: q.end, timezone: canonicalZone(q.timezone ?? 'UTC') } })
        }
      }
    }),
    rules: (a.rules ?? []).map((r, i) => normalizeRule(r, defaults, `/alerts/rules/${i}`)),
    silences: (a.silences ?? []).map((s, i) => normalizeSilence(s, now, `/alerts/silences/${i}`)),
    maintenance: (a.maintenance ?? []).map((m, i) => normalizeMaintenance(m, `/alerts/maintenance/${i}`)),
    escalationPolicies: (a.escalationPolicies ?? []).map((p, i) => ({
      id: p.id,
      steps: p.steps.map((s, j) => ({
        afterMs: parseDuration(s.after, `/alerts/escalationPolicies/${i}/steps/${j}/after`),
        channels: [...(s.channels ?? [])],
        users: [...(s.users ?? [])]
      })),
      repeat: p.repeat ?? false
    })),
    groupWindowMs: a.groupWindow === undefined ? ALERTING_DEFAULTS.groupWindowMs : parseDuration(a.groupWindow, '/alerts/groupWindow'),
    delivery
  }
}

function normalizeRule(r: RuleInput, defaults: NonNullable<NonNullable<AlertingInput['alerts']>['defaults']>, at: string): NormalizedRule {
  const params: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(r)) if (!COMMON.has(key)) params[key] = structuredClone(value)
  const reminder = r.reminderEvery ?? defaults.reminderEvery
  // An explicit channel list is a choice: a default policy would replace it for
  // firing notices, so the default escalation only fills rules that chose nothing.
  const escalation = r.escalation ?? (r.channels === undefined ? defaults.escalation : undefined)
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity ?? ALERTING_DEFAULTS.severity,
    selector: normalizeSelector(r.monitors),
    channels: [...(r.channels ?? defaults.channels ?? [])],
    ...(escalation === undefined ? {} : { escalation }),
    ...(reminder === undefined ? {} : { reminderEveryMs: parseDuration(reminder, `${at}/reminderEvery`) }),
    ...(r.template === undefined ? {} : { template: { ...r.template } }),
    enabled: r.enabled ?? true,
    params
  }
}

function mergeDelivery(base: DeliverySettings, d: DeliveryInput | undefined, at: string): DeliverySettings {
  if (d === undefined) return { ...base }
  return {
    timeoutMs: d.timeout === undefined ? base.timeoutMs : parseDuration(d.timeout, `${at}/timeout`),
    maxAttempts: d.maxAttempts ?? base.maxAttempts,
    backoffMs: d.backoff === undefined ? base.backoffMs : parseDuration(d.backoff, `${at}/backoff`),
    maxBackoffMs: d.maxBackoff === undefined ? base.maxBackoffMs : parseDuration(d.maxBackoff, `${at}/maxBackoff`),
    failuresBeforeFallback: d.failuresBeforeFallback ?? base.failuresBeforeFallback
  }
}
