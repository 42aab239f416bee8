import type { Notification, NotificationAlert } from '../notifier.js'

// Notification and alert builders for notifier tests: the shapes the engine
// hands `send`, with values a test can assert on. Override any field.

/** When the fixture alerts started (epoch ms); notifications are made a minute later. */
export const FIXTURE_STARTED_AT = Date.UTC(2025, 0, 15, 9, 30, 0)

/**
 * One firing alert on monitor `monitor-<n>` (`API health <n>`), with one
 * failed assertion. `n` numbers the ids, so the alerts of a group differ.
 *
 * @example
 * alertFixture() // { id: 'alert-1', dedupKey: 'rule-down:monitor-1', monitorName: 'API health 1', severity: 'critical', ... }
 * alertFixture(2, { severity: 'warning' })
 */
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
    startedAt: FIXTURE_STARTED_AT,
    failedAssertions: [{ assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' }],
    url: `https://vedette.example/api/v1/alerts/alert-${n}`,
    ...overrides
  }
}

/**
 * A `firing` notification about `alerts` (alert 1 unless given), made a
 * minute after the alert started.
 *
 * @example
 * notificationFixture({ event: 'test', severity: 'info', alerts: [], title: 'Test from Vedette', text: 'It works.' })
 */
export function notificationFixture(overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'idem-1',
    event: 'firing',
    title: '[critical] API health 1 is down',
    text: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.',
    severity: 'critical',
    alerts: [alertFixture()],
    createdAt: FIXTURE_STARTED_AT + 60_000,
    data: {},
    ...overrides
  }
}

/** A grouped notification about `count` firing alerts, numbered from 1: the first critical, the rest warnings. */
export function groupedFixture(count: number, overrides: Partial<Notification> = {}): Notification {
  const alerts = Array.from({ length: count }, (_, i) => alertFixture(i + 1, { severity: i === 0 ? 'critical' : 'warning' }))
  return notificationFixture({ idempotencyKey: `idem-group-${count}`, title: `${count} alerts firing`, text: `${count} monitors are failing.`, alerts, ...overrides })
}

/** The `resolved` notification for alert 1: up again five minutes after it started, with its own idempotency key. */
export function resolvedFixture(overrides: Partial<Notification> = {}): Notification {
  const alert = alertFixture(1, { status: 'resolved', resolvedAt: FIXTURE_STARTED_AT + 300_000, monitorStatus: 'up', failedAssertions: [] })
  return notificationFixture({
    idempotencyKey: 'idem-1-resolved',
    event: 'resolved',
    title: 'API health 1 recovered',
    text: 'API health 1 is up again.',
    alerts: [alert],
    ...overrides
  })
}
