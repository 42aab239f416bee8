import type { AlertSeverity } from '@vedette/sdk'
import type { Templates } from '../notify/templates.js'
import type { MonitorSelector } from './alerting-types.js'
import type { NoticeUser } from './alert-notices.js'
import type { MaintenanceWindow } from './maintenance-windows.js'
import type { Silence } from './silences.js'

/** A rule as the alert engine runs it. */
export interface RuntimeRule {
  id: string
  kind: string
  severity: AlertSeverity
  selector?: MonitorSelector
  channels: string[]
  escalation?: string
  reminderEveryMs?: number
  template?: Templates
  enabled: boolean
  /** The kind's own fields. */
  params: Record<string, unknown>
}

export interface RuntimePolicy {
  id: string
  /** `afterMs` counts from the alert firing. */
  steps: Array<{ afterMs: number; channels: string[]; users: string[] }>
  /** Start the steps again after the last one: forever (`true`), this many more times, or never. */
  repeat: boolean | number
}

/** Everything the alert engine needs from the alerting config, normalised. */
export interface RuntimeAlerting {
  rules: RuntimeRule[]
  users: NoticeUser[]
  policies: RuntimePolicy[]
  silences: Silence[]
  maintenance: MaintenanceWindow[]
  groupWindowMs: number
}

export const EMPTY_ALERTING: RuntimeAlerting = { rules: [], users: [], policies: [], silences: [], maintenance: [], groupWindowMs: 3000 }
