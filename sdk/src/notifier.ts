import type { PluginContext } from './plugin-context.js'
import type { PluginHooks } from './hooks.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kNotifierPlugin } from './symbols.js'

/** A rendered message for one channel. */
export interface Notification {
  /** Stable per (alert transition, channel): receivers may dedupe on it. */
  idempotencyKey: string
  title: string
  text: string
  severity: 'critical' | 'warning' | 'info'
  /** Structured facts (monitor, status, alert) for plugins that build rich payloads. */
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
