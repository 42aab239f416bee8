import type { Monitor } from '../config/types.js'
import type { Suppression } from './alert-types.js'
import type { RuntimeAlerting } from './alerting-runtime.js'
import { activeMaintenance } from './maintenance-windows.js'
import { activeSilences } from './silences.js'

/** Who a monitor depends on, transitively, and whether one of them is down. */
export interface DependencyView {
  /** The id of a down ancestor (parent, grandparent...), if any. */
  downAncestor(tenantId: string, monitorId: string): string | undefined
}

/**
 * Why a monitor's alerts should not notify now, first match wins:
 * maintenance, then a silence, then a down ancestor. (Flapping is decided by
 * the alert engine, which knows the open alerts.) Resolutions are never held
 * back: callers only ask this for firing, reminder and escalation notices.
 */
export function suppressionFor(monitor: Monitor, config: RuntimeAlerting, deps: DependencyView, now: number): Suppression | undefined {
  const window = activeMaintenance(config.maintenance, monitor, now)[0]
  if (window !== undefined) return { by: 'maintenance', ref: window.window.id }
  const silence = activeSilences(config.silences, monitor, now)[0]
  if (silence !== undefined) return { by: 'silence', ref: silence.id }
  const parent = deps.downAncestor(monitor.tenantId, monitor.id)
  if (parent !== undefined) return { by: 'dependency', ref: parent }
  return undefined
}
