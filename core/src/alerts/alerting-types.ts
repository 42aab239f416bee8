import type { AlertSeverity } from '@vedette/sdk'
import type { Duration } from '../config/types.js'

/**
 * The alerting part of the config document, as written (YAML or API). Every
 * resource has an `id` unique within its list; the API's CRUD routes edit
 * these lists and each change is a new config version.
 */
export interface AlertingInput {
  channels?: ChannelInput[]
  users?: UserInput[]
  alerts?: {
    rules?: RuleInput[]
    silences?: SilenceInput[]
    maintenance?: MaintenanceInput[]
    escalationPolicies?: EscalationPolicyInput[]
    /** Applied to rules that leave them out. */
    defaults?: { channels?: string[]; reminderEvery?: Duration; escalation?: string }
    /** Notifications to one channel within this window are sent as one grouped message; default 3s. */
    groupWindow?: Duration
    delivery?: DeliveryInput
  }
}

/** Which monitors a rule, silence or maintenance window covers. Leaving it out covers every monitor. */
export interface MonitorSelector {
  ids?: string[]
  /** Any of these tags. */
  tags?: string[]
  /** Every one of these labels (key: value). */
  labels?: Record<string, string>
}

/** A configured instance of a notifier plugin. */
export interface ChannelInput {
  id: string
  /** The notifier plugin's short name (`webhook`, `email`, ...) or package name. */
  type: string
  config: Record<string, unknown>
  /** Overrides the default template of the plugin kind. */
  template?: TemplateInput
  /** When this channel keeps failing, an alert about it goes here. */
  fallback?: string
  /** Overrides `alerts.delivery` for this channel. */
  delivery?: DeliveryInput
  enabled?: boolean
}

export interface TemplateInput {
  /** One line; placeholders like `{{monitor.name}}`, `{{alert.status}}` (docs/alerts.md). */
  title?: string
  text?: string
  html?: string
}

export interface DeliveryInput {
  /** Per attempt; default 10s. */
  timeout?: Duration
  /** Default 8; then the notification is dead-lettered. */
  maxAttempts?: number
  /** First retry delay, doubled each attempt with ±20 % jitter; default 2s, at most `maxBackoff` (default 5m). */
  backoff?: Duration
  maxBackoff?: Duration
  /** Consecutive failed attempts before the fallback channel is alerted; default 3. */
  failuresBeforeFallback?: number
}

export interface RuleInput {
  id: string
  /** A built-in kind or one a plugin registered. */
  kind: string
  severity?: AlertSeverity
  monitors?: MonitorSelector
  channels?: string[]
  /** An escalation policy id: its steps replace `channels` for firing notices. */
  escalation?: string
  /** Re-notify while firing and not acknowledged. */
  reminderEvery?: Duration
  template?: TemplateInput
  enabled?: boolean
  /** The kind's own parameters (threshold, window, ...), validated against its schema. */
  [param: string]: unknown
}

export interface SilenceInput {
  id: string
  monitors: MonitorSelector
  /** ISO time or epoch ms; default: now. */
  startsAt?: string | number
  endsAt: string | number
  /** End the silence when every alert it matched has resolved. */
  expireOnResolve?: boolean
  comment?: string
  createdBy?: string
}

export interface MaintenanceInput {
  id: string
  monitors: MonitorSelector
  /** `suppress`: keep checking, send no alerts; `pause`: stop checking. */
  mode: 'suppress' | 'pause'
  /** One-off window. */
  startsAt?: string | number
  endsAt?: string | number
  /** Recurring window: starts at each cron occurrence (or weekdays + time) in `timezone`, lasts `duration`. */
  cron?: string
  weekdays?: Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'>
  /** `HH:MM`, with `weekdays`. */
  time?: string
  duration?: Duration
  timezone?: string
  comment?: string
}

export interface EscalationPolicyInput {
  id: string
  steps: Array<{ after: Duration; channels?: string[]; users?: string[] }>
  /** After the last step: start again from the first (`true`, or a number of times), or stop. */
  repeat?: boolean | number
}

export interface UserInput {
  id: string
  name: string
  /** Channel ids that reach this person (an email channel with their address, a Telegram chat...). */
  contacts: string[]
  preferences?: UserPreferences
}

export interface UserPreferences {
  /** Severities this person wants; default all. */
  severities?: AlertSeverity[]
  /** Of their contacts, which to use; default all. */
  channels?: string[]
  /** Non-critical notifications are held back in these hours (`22:00`–`07:00`, may cross midnight). */
  quietHours?: { start: string; end: string; timezone?: string }
}
