import type { AlertSeverity, NotificationAssertion } from '@vedette/sdk'

export type AlertStatus = 'firing' | 'acknowledged' | 'resolved'

/** Why an alert's notifications are held back (it is still recorded and shown). */
export interface Suppression {
  by: 'silence' | 'maintenance' | 'dependency' | 'flapping'
  /** The silence or maintenance id, the down parent monitor, or the flapping alert. */
  ref: string
}

/** One step of an alert's life, kept in its history. */
export interface AlertTransition {
  /** 1, 2, 3... per alert: with the alert id it makes notifications' idempotency keys. */
  seq: number
  at: number
  type: 'fired' | 'acknowledged' | 'unacknowledged' | 'snoozed' | 'resolved' | 'reminder' | 'escalated' | 'suppressed' | 'unsuppressed' | 'notified'
  by?: string
  note?: string
  /** Channels a notification for this step was queued for. */
  channels?: string[]
  summary?: string
}

/** One alert instance: a (rule, monitor) pair from firing to resolved. */
export interface Alert {
  id: string
  tenantId: string
  /** `<rule>/<monitor>`: at most one open alert per dedup key. */
  dedupKey: string
  ruleId: string
  ruleKind: string
  monitorId: string
  monitorName: string
  severity: AlertSeverity
  status: AlertStatus
  summary: string
  startedAt: number
  updatedAt: number
  resolvedAt?: number
  resolvedBy?: string
  acknowledgedAt?: number
  acknowledgedBy?: string
  ackNote?: string
  /** Reminders and escalation wait until then. */
  snoozedUntil?: number
  suppressed?: Suppression
  /** The monitor's failed assertions in the run that fired it. */
  failedAssertions: NotificationAssertion[]
  monitorStatus: string
  /** Channels (and users, as `user:<id>`) notified so far: the resolved notice goes to all of them. */
  notified: string[]
  /** True once a firing notice went out (a suppressed alert gets one when the suppression ends). */
  announced: boolean
  nextReminderAt?: number
  /** Where the escalation policy is: the next step, the round, when the round started and when the next step is due. */
  escalation?: { policyId: string; step: number; round: number; roundStart: number; nextAt?: number }
  /** Silences that held this alert back at some point (for `expireOnResolve`). */
  silencedBy?: string[]
  history: AlertTransition[]
}

export interface AlertQuery {
  status?: AlertStatus | 'open'
  monitorId?: string
  ruleId?: string
  severity?: AlertSeverity
  limit?: number
  cursor?: string
}
