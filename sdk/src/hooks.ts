import type { CheckResult, MonitorStatus } from './check-result.js'

/** A monitor about to be dispatched; `onSchedule` handlers may veto it. */
export interface ScheduleEvent {
  tenantId: string
  monitorId: string
  type: string
  tags: readonly string[]
  /** Epoch ms the run was due. */
  dueAt: number
}

export interface ScheduleVeto {
  veto: string
}

/** Emitted when a monitor's kept status changes; also stored as an incident edge. */
export interface StateChangeEvent {
  tenantId: string
  monitorId: string
  from: MonitorStatus
  to: MonitorStatus
  reason: string
  at: number
}

/** An alert notification travelling through `onAlert`; shaped by the alerting engine. */
export interface AlertEvent {
  tenantId: string
  monitorId: string
  kind: string
  [key: string]: unknown
}

export interface PersistEvent {
  results: readonly CheckResult[]
}

/** What each hook receives, and what its handlers may return. */
export interface HookSignatures {
  onSchedule: { payload: ScheduleEvent; returns: ScheduleVeto | false | void }
  onCheckResult: { payload: CheckResult; returns: CheckResult | void }
  onStateChange: { payload: StateChangeEvent; returns: void }
  onAlert: { payload: AlertEvent; returns: AlertEvent | false | void }
  onPersist: { payload: PersistEvent; returns: void }
  onReady: { payload: undefined; returns: void }
  preClose: { payload: undefined; returns: void }
  onClose: { payload: undefined; returns: void }
}

export type HookName = keyof HookSignatures
export const HOOK_NAMES: readonly HookName[] = [
  'onSchedule',
  'onCheckResult',
  'onStateChange',
  'onAlert',
  'onPersist',
  'onReady',
  'preClose',
  'onClose'
]

export type HookHandler<N extends HookName> = (
  payload: HookSignatures[N]['payload']
) => HookSignatures[N]['returns'] | Promise<HookSignatures[N]['returns']>

/** A handler with ordering: `pre` runs before unbucketed handlers, `post` after; `after` names plugins to follow. */
export interface HookRegistration<N extends HookName> {
  handler: HookHandler<N>
  order?: 'pre' | 'post'
  after?: readonly string[]
  /** Per-handler timeout; the engine default applies when left out. */
  timeoutMs?: number
}

export type PluginHooks = { [N in HookName]?: HookHandler<N> | HookRegistration<N> }
