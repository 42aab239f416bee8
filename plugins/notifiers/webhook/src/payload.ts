import type { AlertSeverity, Notification, NotificationAlert, NotificationAssertion, NotificationEvent } from '@vedette/sdk'

/** Bumped only for changes a receiver could trip on (a field removed, renamed or retyped). */
export const PAYLOAD_VERSION = 1

/** One alert, as the webhook sends it. Times are ISO 8601 in UTC. */
export interface WebhookAlert {
  id: string
  dedupKey: string
  ruleId: string
  monitorId: string
  monitorName: string
  severity: AlertSeverity
  status: NotificationAlert['status']
  summary: string
  monitorStatus: string
  startedAt: string
  resolvedAt?: string
  acknowledgedBy?: string
  failedAssertions: NotificationAssertion[]
  url?: string
}

/** The JSON body of every request (documented in the README, `## Payload`). */
export interface WebhookPayload {
  version: typeof PAYLOAD_VERSION
  event: NotificationEvent
  idempotencyKey: string
  severity: AlertSeverity
  title: string
  text: string
  createdAt: string
  alerts: WebhookAlert[]
  /** The engine's structured extras, passed through as they are. */
  data: Record<string, unknown>
}

/** The payload for a notification; every alert of a grouped one, uncapped. */
export function buildWebhookPayload(notification: Notification): WebhookPayload {
  return {
    version: PAYLOAD_VERSION,
    event: notification.event,
    idempotencyKey: notification.idempotencyKey,
    severity: notification.severity,
    title: notification.title,
    text: notification.text,
    createdAt: iso(notification.createdAt),
    alerts: notification.alerts.map(toWebhookAlert),
    data: notification.data ?? {}
  }
}

function toWebhookAlert(alert: NotificationAlert): WebhookAlert {
  return {
    id: alert.id,
    dedupKey: alert.dedupKey,
    ruleId: alert.ruleId,
    monitorId: alert.monitorId,
    monitorName: alert.monitorName,
    severity: alert.severity,
    status: alert.status,
    summary: alert.summary,
    monitorStatus: alert.monitorStatus,
    startedAt: iso(alert.startedAt),
    ...(alert.resolvedAt === undefined ? {} : { resolvedAt: iso(alert.resolvedAt) }),
    ...(alert.acknowledgedBy === undefined ? {} : { acknowledgedBy: alert.acknowledgedBy }),
    failedAssertions: alert.failedAssertions ?? [],
    ...(alert.url === undefined ? {} : { url: alert.url })
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString()
}
