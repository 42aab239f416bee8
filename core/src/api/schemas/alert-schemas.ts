/** Schemas of alerts and of the notification outbox, as the API returns them. */

const epochMs = (description: string) => ({ type: 'integer', description: `${description} Epoch milliseconds.` }) as const

const transition = {
  type: 'object',
  required: ['seq', 'at', 'type'],
  properties: {
    seq: { type: 'integer', description: '1, 2, 3... per alert.' },
    at: epochMs('When it happened.'),
    type: {
      enum: ['fired', 'acknowledged', 'unacknowledged', 'snoozed', 'resolved', 'reminder', 'escalated', 'suppressed', 'unsuppressed', 'notified'],
      description: 'What happened.'
    },
    by: { type: 'string', description: 'Who did it (an API key name, `auto`, `system`).' },
    note: { type: 'string' },
    channels: { type: 'array', items: { type: 'string' }, description: 'Channels a notification for this step was queued for.' },
    summary: { type: 'string' }
  }
} as const

const alertProperties = {
  id: { type: 'string', description: 'Alert id; ids sort by start time.' },
  dedupKey: { type: 'string', description: '`<rule>/<monitor>`: at most one open alert per key.' },
  ruleId: { type: 'string' },
  ruleKind: { type: 'string' },
  monitorId: { type: 'string' },
  monitorName: { type: 'string' },
  severity: { enum: ['critical', 'warning', 'info'] },
  status: { enum: ['firing', 'acknowledged', 'resolved'] },
  summary: { type: 'string', description: 'Why it fired, in one line.' },
  startedAt: epochMs('When it fired.'),
  updatedAt: epochMs('Last change.'),
  resolvedAt: epochMs('When it resolved.'),
  resolvedBy: { type: 'string' },
  acknowledgedAt: epochMs('When it was acknowledged.'),
  acknowledgedBy: { type: 'string' },
  ackNote: { type: 'string' },
  snoozedUntil: epochMs('Reminders and escalation wait until then; then it fires again unless resolved.'),
  suppressed: {
    type: 'object',
    required: ['by', 'ref'],
    description: 'Why its notifications are held back.',
    properties: { by: { enum: ['silence', 'maintenance', 'dependency', 'flapping'] }, ref: { type: 'string', description: 'The silence or window id, or the down parent monitor.' } }
  },
  failedAssertions: {
    type: 'array',
    description: "The monitor's failed assertions in the run that fired it.",
    items: {
      type: 'object',
      required: ['assertion', 'severity'],
      properties: { assertion: { type: 'string' }, actual: {}, expected: {}, severity: { enum: ['critical', 'warning'] } }
    }
  },
  monitorStatus: { type: 'string' },
  notified: { type: 'array', items: { type: 'string' }, description: 'Channels (and users as `user:<id>`) notified so far.' },
  announced: { type: 'boolean', description: 'A firing notice went out.' },
  nextReminderAt: epochMs('Next reminder.'),
  escalation: {
    type: 'object',
    description: 'Where its escalation policy is.',
    properties: { policyId: { type: 'string' }, step: { type: 'integer' }, round: { type: 'integer' }, roundStart: { type: 'integer' }, nextAt: { type: 'integer' } }
  },
  silencedBy: { type: 'array', items: { type: 'string' } }
} as const

const alertRequired = ['id', 'dedupKey', 'ruleId', 'monitorId', 'severity', 'status', 'summary', 'startedAt', 'updatedAt'] as const

/** An alert in a listing: everything but its history. */
export const alertListItem = {
  type: 'object',
  description: 'An alert: one (rule, monitor) pair from firing to resolved. GET /alerts/{id} adds its history.',
  required: [...alertRequired],
  properties: alertProperties
} as const

/** One alert with its whole history. */
export const alertOut = {
  type: 'object',
  description: 'An alert with every step of its life.',
  required: [...alertRequired, 'history'],
  properties: { ...alertProperties, history: { type: 'array', items: transition } }
} as const

/** Where the alert listing starts: status and the filters of AlertStore.list. */
export const alertQuery = {
  status: { enum: ['open', 'firing', 'acknowledged', 'resolved'], description: 'open = firing or acknowledged.' },
  monitorId: { type: 'string', description: 'Only alerts of this monitor.' },
  ruleId: { type: 'string', description: 'Only alerts of this rule.' },
  severity: { enum: ['critical', 'warning', 'info'], description: 'Only alerts of this severity.' }
} as const

const attempt = {
  type: 'object',
  required: ['at', 'ok', 'latencyMs'],
  properties: {
    at: epochMs('When the attempt started.'),
    ok: { type: 'boolean' },
    status: { type: ['integer', 'string'], description: 'HTTP status or provider code, when there was one.' },
    error: { type: 'string', description: 'Why it failed.' },
    latencyMs: { type: 'number' },
    node: { type: 'string', description: 'The node that made the attempt.' }
  }
} as const

/** A notification in the outbox with its delivery attempts. */
export const outboxItemOut = {
  type: 'object',
  description: 'A notification for one channel: what was rendered, its state and every delivery attempt. Channel settings (and their secrets) are never part of it.',
  required: ['id', 'channelId', 'alertIds', 'state', 'attempts', 'createdAt', 'nextAttemptAt'],
  properties: {
    id: { type: 'string', description: 'Idempotency key: one per (alert transition, channel).' },
    channelId: { type: 'string' },
    alertIds: { type: 'array', items: { type: 'string' } },
    state: { enum: ['pending', 'delivered', 'dead'], description: 'dead: given up (attempts exhausted or a non-retryable answer).' },
    attempts: { type: 'array', items: attempt },
    notification: { type: 'object', additionalProperties: true, description: 'The rendered notification handed to the notifier (event, title, text, alerts...).' },
    createdAt: epochMs('When it was queued.'),
    nextAttemptAt: epochMs('When it is (or was) due next.'),
    leaseOwner: { type: 'string', description: 'The node delivering it now.' },
    leaseUntil: { type: 'integer' }
  }
} as const

/** `snoozeUntil` and similar: RFC 3339 with an offset, or epoch ms (integer first: query coercion must not turn a number into text). */
export function instantSchema(description: string, pattern: string) {
  return {
    description: `${description} An ISO 8601 time with an offset (2025-06-01T22:00:00Z) or epoch milliseconds.`,
    anyOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern }
    ]
  } as const
}
