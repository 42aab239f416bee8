import { alertFacts, alertName, clip, stableKey } from '@vedette/sdk'
import type { Notification, NotificationAlert, NotificationEvent } from '@vedette/sdk'
import type { OpsgeniePriority, OpsgenieResponder, ResolvedOpsgenieConfig } from './config.js'
import { TAG_MAX } from './config.js'

export type OpsgenieAction = 'create' | 'acknowledge' | 'close'

/** The Alert API's create body (https://docs.opsgenie.com/docs/alert-api#create-alert). */
export interface OpsgenieCreateBody {
  message: string
  alias: string
  description: string
  priority: OpsgeniePriority
  tags: string[]
  details: Record<string, string>
  entity: string
  source: string
  responders?: OpsgenieResponder[]
}

/** The acknowledge and close body. */
export interface OpsgenieActionBody {
  source: string
  user?: string
  note: string
}

/** One Alert API call: where it goes (path and query, after the base URL) and what it carries. */
export interface OpsgenieRequest {
  action: OpsgenieAction
  alias: string
  path: string
  body: OpsgenieCreateBody | OpsgenieActionBody
}

/** Opsgenie's documented field limits. */
export const OPSGENIE_LIMITS = { message: 130, alias: 512, description: 15_000, entity: 512, user: 100, note: 25_000, tags: 20, details: 8000 } as const

const ACTIONS: Record<NotificationEvent, OpsgenieAction> = {
  firing: 'create',
  // Creating again under an open alert's alias only bumps its count in
  // Opsgenie: no second alert, no new notification to responders.
  reminder: 'create',
  escalation: 'create',
  acknowledged: 'acknowledge',
  resolved: 'close',
  test: 'create'
}

/**
 * One request per alert, all addressed by alias = the alert's dedupKey; a
 * `test` notification (no alerts) creates a P5 alert under an alias of its own.
 */
export function buildOpsgenieRequests(notification: Notification, config: ResolvedOpsgenieConfig): OpsgenieRequest[] {
  if (notification.event === 'test' || notification.alerts.length === 0) {
    const alias = stableKey(`vedette-test-${notification.idempotencyKey}`, OPSGENIE_LIMITS.alias)
    const body: OpsgenieCreateBody = {
      message: clip(notification.title || 'Vedette test notification', OPSGENIE_LIMITS.message),
      alias,
      description: clip(notification.text, OPSGENIE_LIMITS.description),
      priority: 'P5',
      tags: tagsFor(config, 'test'),
      details: { event: notification.event },
      entity: 'vedette',
      source: 'vedette',
      ...(config.responders.length === 0 ? {} : { responders: config.responders })
    }
    return [{ action: 'create', alias, path: '/v2/alerts', body }]
  }
  const action = ACTIONS[notification.event]
  const single = notification.alerts.length === 1
  return notification.alerts.map((alert) => {
    const alias = stableKey(alert.dedupKey, OPSGENIE_LIMITS.alias)
    if (action === 'create') return { action, alias, path: '/v2/alerts', body: createBody(notification, alert, alias, single, config) }
    const path = `/v2/alerts/${encodeURIComponent(alias)}/${action}?identifierType=alias`
    const by = alert.acknowledgedBy
    const note =
      action === 'acknowledge' ? `Acknowledged in Vedette${by === undefined ? '' : ` by ${by}`}` : `Resolved in Vedette: ${alert.summary}`
    const body: OpsgenieActionBody = {
      source: 'vedette',
      ...(action === 'acknowledge' && by !== undefined ? { user: clip(by, OPSGENIE_LIMITS.user) } : {}),
      note: clip(note, OPSGENIE_LIMITS.note)
    }
    return { action, alias, path, body }
  })
}

function createBody(
  notification: Notification,
  alert: NotificationAlert,
  alias: string,
  single: boolean,
  config: ResolvedOpsgenieConfig
): OpsgenieCreateBody {
  // One alert: the operator's templated title and text. In a group each
  // Opsgenie alert is about one Vedette alert, so it gets its own wording.
  const message = single ? notification.title : `[${alert.severity}] ${alert.monitorName}: ${alert.summary}`
  const description = single && notification.text !== '' ? notification.text : describe(alert)
  return {
    message: clip(message, OPSGENIE_LIMITS.message),
    alias,
    description: clip(description, OPSGENIE_LIMITS.description),
    priority: config.priorityMap[alert.severity],
    tags: tagsFor(config, `severity:${alert.severity}`),
    details: details(notification, alert),
    entity: clip(alertName(alert), OPSGENIE_LIMITS.entity),
    source: 'vedette',
    ...(config.responders.length === 0 ? {} : { responders: config.responders })
  }
}

function describe(alert: NotificationAlert): string {
  const lines = [alert.summary, `Monitor ${alert.monitorName} is ${alert.monitorStatus}.`]
  for (const a of alert.failedAssertions) lines.push(`Failed: ${a.assertion}${a.actual === undefined ? '' : ` (got ${JSON.stringify(a.actual)})`}`)
  if (alert.url !== undefined) lines.push(alert.url)
  return lines.join('\n')
}

/** Opsgenie details are string to string, at most 8000 characters in all. */
function details(notification: Notification, alert: NotificationAlert): Record<string, string> {
  const out = alertFacts(notification.event, alert)
  if (alert.url !== undefined) out.url = alert.url
  if (alert.failedAssertions.length > 0) {
    const used = Object.entries(out).reduce((n, [k, v]) => n + k.length + v.length, 0)
    out.failedAssertions = clip(
      alert.failedAssertions.map((a) => `${a.assertion}${a.actual === undefined ? '' : ` (got ${JSON.stringify(a.actual)})`}`).join('; '),
      Math.max(0, OPSGENIE_LIMITS.details - used - 'failedAssertions'.length)
    )
  }
  return out
}

function tagsFor(config: ResolvedOpsgenieConfig, tag: string): string[] {
  return [...new Set(['vedette', tag.slice(0, TAG_MAX), ...config.tags])].slice(0, OPSGENIE_LIMITS.tags)
}
