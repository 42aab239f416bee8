import { collectDefaultMetrics } from 'prom-client'
import type { Registry } from 'prom-client'

/**
 * prom-client's defaults that `promtool check metrics` rejects: gauges whose
 * names end in `_total`, which Prometheus reserves for counters. Each is the
 * sum of a labelled gauge that stays (`sum(nodejs_active_handles)` is
 * `nodejs_active_handles_total`), so dropping them loses nothing.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const

/**
 * Adds prom-client's process and Node.js runtime series (CPU, memory, file
 * descriptors, event-loop lag, GC, heap spaces) to a registry, minus
 * DROPPED_DEFAULT_METRICS. Once per registry: prom-client throws on a second call.
 */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry })
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name)
}
