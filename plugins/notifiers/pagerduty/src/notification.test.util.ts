// Test-only Notification builders (the `.test.` in the name keeps them out of the published files).
import type { Notification, NotificationAlert } from '@vedette/sdk'

const STARTED = Date.UTC(2025, 0, 15, 9, 30, 0)

/** One firing alert on `api-health`, with one failed assertion; `n` varies the ids. */
export function alertFixture(n = 1, overrides: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    id: `alert-${n}`,
    dedupKey: `rule-down:monitor-${n}`,
    ruleId: 'rule-down',
    monitorId: `monitor-${n}`,
    monitorName: `API health ${n}`,
    severity: 'critical',
    status: 'firing',
    summary: `2 consecutive failures: connect ECONNREFUSED (monitor ${n})`,
    monitorStatus: 'down',
    startedAt: STARTED,
    failedAssertions: [{ assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' }],
    url: `https://vedette.example/api/v1/alerts/alert-${n}`,
    ...overrides
  }
}

/** A notification about `alerts` (one firing alert unless given). */
export function notificationFixture(overrides: Partial<Notification> = {}): Notification {
  const alerts = overrides.alerts ?? [alertFixture()]
  return {
    idempotencyKey: 'idem-1',
    event: 'firing',
    title: '[critical] API health 1 is down',
    text: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.',
    severity: 'critical',
    alerts,
    createdAt: STARTED + 60_000,
    data: {},
    ...overrides
  }
}

/** A grouped notification about `count` firing alerts. */
export function groupedFixture(count: number, overrides: Partial<Notification> = {}): Notification {
  const alerts = Array.from({ length: count }, (_, i) => alertFixture(i + 1, { severity: i === 0 ? 'critical' : 'warning' }))
  return notificationFixture({ title: `${count} alerts firing`, text: `${count} monitors are failing.`, alerts, ...overrides })
}

/** A resolved notification for alert 1. */
export function resolvedFixture(): Notification {
  const alert = alertFixture(1, { status: 'resolved', resolvedAt: STARTED + 300_000, monitorStatus: 'up', failedAssertions: [] })
  return notificationFixture({ event: 'resolved', title: 'API health 1 recovered', text: 'API health 1 is up again.', alerts: [alert] })
}
