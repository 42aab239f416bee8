import type { AlertSeverity, NewOutboxItem, NotificationAlert, NotificationEvent, OutboxStore } from '@vedette/sdk'
import type { OutboxPayload } from '../notify/outbox-sender.js'
import type { Templates } from '../notify/templates.js'
import type { Alert, AlertTransition } from './alert-types.js'
import { inQuietHours } from './quiet-hours.js'

/** The people escalation steps and rules can name. */
export interface NoticeUser {
  id: string
  contacts: string[]
  preferences?: { severities?: AlertSeverity[]; channels?: string[]; quietHours?: { start: string; end: string; timezone?: string } }
}

export interface NoticeOptions {
  outbox: Pick<OutboxStore, 'enqueueOutbox'>
  /** Items to one channel within this window go out as one grouped message. */
  groupWindowMs: () => number
  /** Called with the earliest time something queued becomes due. */
  wake(atMs: number): void
  /** Links to alerts in the API, when `server.publicUrl` is set. */
  alertUrl?(alert: Alert): string | undefined
  channelExists(tenantId: string, id: string): boolean
}

/**
 * Queues notices in the durable outbox: one item per (alert transition,
 * channel), keyed `<alert>:<seq>:<channel>` so the same notice is never
 * queued twice, by this node or another. Grouping is leading-edge: the first
 * notice to a channel goes at once, later ones within the group window wait
 * for the window's end and leave together.
 */
export class AlertNotices {
  readonly #o: NoticeOptions
  readonly #slots = new Map<string, number>()

  constructor(options: NoticeOptions) {
    this.#o = options
  }

  /** Channels a list of users reaches for an alert of this severity now (preferences and quiet hours applied). */
  static userChannels(users: readonly NoticeUser[], severity: AlertSeverity, now: number): string[] {
    const out = new Set<string>()
    for (const user of users) {
      const prefs = user.preferences
      if (prefs?.severities !== undefined && !prefs.severities.includes(severity)) continue
      if (prefs?.quietHours !== undefined && severity !== 'critical' && inQuietHours(prefs.quietHours, now)) continue
      for (const c of user.contacts) if (prefs?.channels === undefined || prefs.channels.includes(c)) out.add(c)
    }
    return [...out]
  }

  /** Queues `event` for `channels` and records the step in the alert's history (the caller saves the alert). */
  async queue(alert: Alert, event: NotificationEvent, channels: readonly string[], step: AlertTransition['type'], template: Templates | undefined, now: number): Promise<AlertTransition> {
    const seq = nextSeq(alert)
    const live = [...new Set(channels)].filter((c) => this.#o.channelExists(alert.tenantId, c))
    const transition: AlertTransition = { seq, at: now, type: step, channels: live, summary: alert.summary }
    alert.history.push(transition)
    if (live.length === 0) return transition
    const payloadAlert = this.#toNotificationAlert(alert)
    const items: NewOutboxItem[] = live.map((channelId) => {
      const payload: OutboxPayload = { event, alert: payloadAlert, ...(template ? { template } : {}) }
      return {
        tenantId: alert.tenantId,
        id: `${alert.id}:${seq}:${channelId}`,
        channelId,
        alertIds: [alert.id],
        notification: payload as unknown as Record<string, unknown>,
        createdAt: now,
        nextAttemptAt: this.#slot(alert.tenantId, channelId, now)
      }
    })
    await this.#o.outbox.enqueueOutbox(items)
    for (const c of live) if (!alert.notified.includes(c)) alert.notified.push(c)
    this.#o.wake(Math.min(...items.map((i) => i.nextAttemptAt)))
    return transition
  }

  #slot(tenantId: string, channelId: string, now: number): number {
    const key = `${tenantId}\0${channelId}`
    const window = this.#o.groupWindowMs()
    const last = this.#slots.get(key)
    if (last === undefined || now >= last + window) {
      this.#slots.set(key, now)
      return now
    }
    return last + window
  }

  #toNotificationAlert(alert: Alert): NotificationAlert {
    const url = this.#o.alertUrl?.(alert)
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
      startedAt: alert.startedAt,
      ...(alert.resolvedAt === undefined ? {} : { resolvedAt: alert.resolvedAt }),
      ...(alert.acknowledgedBy === undefined ? {} : { acknowledgedBy: alert.acknowledgedBy }),
      failedAssertions: alert.failedAssertions,
      ...(url === undefined ? {} : { url })
    }
  }
}

export function nextSeq(alert: Alert): number {
  return (alert.history.at(-1)?.seq ?? 0) + 1
}
