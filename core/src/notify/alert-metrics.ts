import { Counter, Gauge, Histogram } from 'prom-client'
import type { Registry } from 'prom-client'

/** Alerting and delivery series, in the engine's registry. */
export class AlertMetrics {
  readonly firing: Gauge<'severity'>
  readonly transitions: Counter<'type'>
  readonly sent: Counter<'channel_type'>
  readonly failed: Counter<'channel_type'>
  readonly retried: Counter<'channel_type'>
  readonly dead: Counter<'channel_type'>
  readonly deliveryLatency: Histogram<'channel_type'>

  constructor(registry: Registry) {
    const registers = [registry]
    this.firing = new Gauge({ name: 'vedette_alerts_open', help: 'Alerts firing or acknowledged, by severity', labelNames: ['severity'], registers })
    this.transitions = new Counter({ name: 'vedette_alert_transitions_total', help: 'Alert lifecycle steps, by type', labelNames: ['type'], registers })
    this.sent = new Counter({ name: 'vedette_notifications_sent_total', help: 'Notifications delivered, by channel type (a grouped message counts once)', labelNames: ['channel_type'], registers })
    this.failed = new Counter({ name: 'vedette_notification_attempts_failed_total', help: 'Delivery attempts that failed, by channel type', labelNames: ['channel_type'], registers })
    this.retried = new Counter({ name: 'vedette_notification_retries_total', help: 'Failed deliveries scheduled for another attempt', labelNames: ['channel_type'], registers })
    this.dead = new Counter({ name: 'vedette_notifications_dead_lettered_total', help: 'Notifications given up on (dead-lettered)', labelNames: ['channel_type'], registers })
    this.deliveryLatency = new Histogram({
      name: 'vedette_notification_delivery_seconds',
      help: 'From a notification being queued to its successful delivery',
      labelNames: ['channel_type'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers
    })
  }
}
