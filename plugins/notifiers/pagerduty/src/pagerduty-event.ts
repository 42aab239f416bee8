import { alertFacts, alertName, clip, stableKey } from '@vedette/sdk'
import type { Notification, NotificationAlert, NotificationEvent } from '@vedette/sdk'
import type { PagerDutySeverity, ResolvedPagerDutyConfig } from './config.js'

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve'

/** An Events API v2 event (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). */
export interface PagerDutyEvent {
  routing_key: string
  event_action: PagerDutyAction
  dedup_key: string
  /** Triggers only: acknowledge and resolve carry the key alone. */
  payload?: {
    summary: string
    source: string
    severity: PagerDutySeverity
    timestamp: string
    component?: string
    group?: string
    class?: string
    custom_details: Record<string, unknown>
  }
  client?: string
  client_url?: string
  links?: Array<{ href: string; text: string }>
}

/** PagerDuty's limits: summary 1024 characters, dedup_key 255. */
export const SUMMARY_MAX = 1024
export const DEDUP_KEY_MAX = 255
const SOURCE_MAX = 255

const ACTIONS: Record<NotificationEvent, PagerDutyAction> = {
  firing: 'trigger',
  // A repeated trigger with the same dedup_key is added to the open alert's
  // log in PagerDuty: it neither opens a second incident nor re-pages.
  reminder: 'trigger',
  escalation: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
  test: 'trigger'
}

/** The dedup key of a `test` event: a fresh PagerDuty alert per test, which the operator resolves by hand. */
export function testDedupKey(notification: Notification): string {
  return stableKey(`vedette-test-${notification.idempotencyKey}`, DEDUP_KEY_MAX)
}

/**
 * One event per alert, keyed by the alert's `dedupKey`, so PagerDuty tracks
 * each alert as its own incident; a `test` notification (no alerts) is one
 * info-severity trigger under a key of its own.
 */
export function buildPagerDutyEvents(notification: Notification, config: ResolvedPagerDutyConfig): PagerDutyEvent[] {
  const action = ACTIONS[notification.event]
  if (notification.event === 'test' || notification.alerts.length === 0) {
    return [
      {
        routing_key: config.routingKey,
        event_action: 'trigger',
        dedup_key: testDedupKey(notification),
        payload: {
          summary: clip(notification.title || 'Vedette test notification', SUMMARY_MAX),
          source: 'vedette',
          severity: 'info',
          timestamp: new Date(notification.createdAt).toISOString(),
          ...staticFields(config),
          custom_details: { event: notification.event, text: notification.text }
        },
        client: 'Vedette'
      }
    ]
  }
  const single = notification.alerts.length === 1
  return notification.alerts.map((alert) => {
    const base: PagerDutyEvent = { routing_key: config.routingKey, event_action: action, dedup_key: stableKey(alert.dedupKey, DEDUP_KEY_MAX) }
    if (action !== 'trigger') return base
    // One alert: the operator's templated title is the incident title. In a
    // group each event is about one alert, so it gets a title of its own.
    const summary = single ? notification.title : `[${alert.severity}] ${alert.monitorName}: ${alert.summary}`
    return {
      ...base,
      payload: {
        summary: clip(summary, SUMMARY_MAX),
        source: clip(alertName(alert), SOURCE_MAX),
        severity: config.severityMap[alert.severity],
        timestamp: new Date(notification.createdAt).toISOString(),
        ...staticFields(config),
        custom_details: customDetails(notification, alert, single)
      },
      client: 'Vedette',
      ...(alert.url === undefined ? {} : { client_url: alert.url, links: [{ href: alert.url, text: 'Alert in Vedette' }] })
    }
  })
}

function customDetails(notification: Notification, alert: NotificationAlert, single: boolean): Record<string, unknown> {
  return {
    ...alertFacts(notification.event, alert),
    summary: alert.summary,
    failedAssertions: alert.failedAssertions,
    // The rendered text speaks about the whole group; it belongs to one alert only when there is one.
    ...(single && notification.text !== '' ? { text: notification.text } : {})
  }
}

function staticFields(config: ResolvedPagerDutyConfig): { component?: string; group?: string; class?: string } {
  return {
    ...(config.component === undefined ? {} : { component: config.component }),
    ...(config.group === undefined ? {} : { group: config.group }),
    ...(config.class === undefined ? {} : { class: config.class })
  }
}
