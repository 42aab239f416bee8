import type { CheckResult, Incident, MonitorRecord, MonitorState, RollupBucket, RollupTier, StateChangeEvent } from '@vedette/sdk'
import type { Keyed } from './sorted-range.js'

export interface StoredResult extends Keyed {
  result: CheckResult
}

export interface StoredTransition extends Keyed {
  event: StateChangeEvent
}

export interface StoredIncident {
  seq: number
  incident: Incident
}

/**
 * Everything kept for one monitor of one tenant besides its record. It exists
 * as soon as any data arrives, with or without a stored monitor record.
 */
export interface Series {
  /** Ascending by (startedAt, seq). */
  results: StoredResult[]
  /** The newest by (startedAt, seq), kept so latestResults never scans. */
  latest: StoredResult | undefined
  /** Ascending by (at, seq). */
  transitions: StoredTransition[]
  /** In opening order; at most the last one is open. */
  incidents: StoredIncident[]
  state: MonitorState | undefined
  /** Rollups per tier: bucket start → what the results in it add up to. */
  rollups: Record<RollupTier, Map<number, RollupBucket>>
}

export function emptySeries(): Series {
  return { results: [], latest: undefined, transitions: [], incidents: [], state: undefined, rollups: { minute: new Map(), hour: new Map(), day: new Map() } }
}

/** Per-tenant maps; a tenant appears on its first write. */
export interface TenantData {
  monitors: Map<string, MonitorRecord>
  /** Monitor ids in code point order, rebuilt lazily after an insert or delete. */
  sortedIds: string[] | undefined
  series: Map<string, Series>
}

export function emptyTenant(): TenantData {
  return { monitors: new Map(), sortedIds: undefined, series: new Map() }
}
