import type { MonitorStatus } from '@vedette/sdk'

/**
 * `vedette_monitor_status` values. One numeric series per monitor rather than
 * a one-hot `status` label: six series per monitor would make 600,000 series
 * out of 100,000 monitors. 0–3 are the codes Uptime Kuma's exporter uses, so
 * dashboards and alerts written for it keep working; Vedette's extra states
 * follow. Documented in docs/metrics.md — never renumber.
 */
export const MONITOR_STATUS_CODES: Readonly<Record<MonitorStatus, number>> = {
  down: 0,
  up: 1,
  pending: 2,
  maintenance: 3,
  degraded: 4,
  paused: 5
}
