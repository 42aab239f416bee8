import type { PluginContext } from './plugin-context.js'
import type { PluginHooks } from './hooks.js'
import type { AlertRuleKind } from './alert-rule.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kNotifierPlugin } from './symbols.js'

/** What happened to the alerts a notification is about. */
export type NotificationEvent = 'firing' | 'reminder' | 'escalation' | 'acknowledged' | 'resolved' | 'test'

export type AlertSeverity = 'critical' | 'warning' | 'info'

/** One failed assertion, as notifications show it. */
export interface NotificationAssertion {
  /** The assertion in its one-line form, e.g. `status in 200..299`. */
  assertion: string
  actual?: unknown
  expected?: unknown
  severity: 'critical' | 'warning'
}

/** One alert inside a notification (a grouped notification carries several). */
export interface NotificationAlert {
  /** The alert instance id. */
  id: string
  /** Stable per (rule, monitor): providers with incident keys (PagerDuty, Opsgenie) dedupe on it. */
  dedupKey: string
  ruleId: string
  monitorId: string
  monitorName: string
  severity: AlertSeverity
  status: 'firing' | 'acknowledged' | 'resolved'
  /** One line on why, e.g. `2 consecutive failures: connect ECONNREFUSED`. */
  summary: string
  /** Monitor status when the notification was made (up, degraded, down, ...). */
  monitorStatus: string
  startedAt: number
  resolvedAt?: number
  acknowledgedBy?: string
  failedAssertions: NotificationAssertion[]
  /** Link to the alert in the Vedette API, when `server.publicUrl` is configured. */
  url?: string
}

/** A rendered message for one channel. */
export interface Notification {
  /** Stable per (alert transition, channel): receivers may dedupe on it. */
  idempotencyKey: string
  event: NotificationEvent
  /** Rendered from the channel's (or rule's) template: one line. */
  title: string
  /** Rendered plain text (Markdown-safe), several lines. */
  text: string
  /** Rendered HTML, for channels that show it (email). */
  html?: string
  /** The highest severity among `alerts`. */
  severity: AlertSeverity
  /** At least one alert, except for `test` notifications. */
  alerts: NotificationAlert[]
  /** Epoch ms the notification was made. */
  createdAt: number
  /** Structured extras for plugins that build rich payloads (free form). */
  data: Record<string, unknown>
}

export interface DeliveryReport {
  ok: boolean
  /** HTTP status or provider code when there is one. */
  status?: number | string
  message?: string
  /** False when retrying cannot help (bad credentials, 4xx other than 429). */
  retryable?: boolean
}

export interface NotifierInstance {
  send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport>
  start?(): Promise<void>
  stop?(): Promise<void>
}

export interface NotifierDefinition<C> {
  create(config: C, ctx: PluginContext): NotifierInstance | Promise<NotifierInstance>
  hooks?: PluginHooks
  /** The kind's default templates (Mustache-style placeholders, docs/alerts.md); the engine's defaults otherwise. */
  templates?: { title?: string; text?: string; html?: string }
  /** Alert rule kinds this plugin adds. */
  alertRules?: readonly AlertRuleKind<never>[]
}

export interface NotifierPlugin<C = unknown> extends NotifierDefinition<C> {
  readonly [kNotifierPlugin]: true
}

/** Declares a notifier plugin: a channel is a configured instance of one. */
export function defineNotifier<C>(definition: NotifierDefinition<C>): NotifierPlugin<C> {
  if (definition === null || typeof definition !== 'object' || typeof definition.create !== 'function') {
    throw new InvalidPluginDefinitionError('notifier', '`create` must be a function')
  }
  return Object.freeze({ ...definition, [kNotifierPlugin]: true as const })
}

export function isNotifierPlugin(value: unknown): value is NotifierPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kNotifierPlugin] === true
}
