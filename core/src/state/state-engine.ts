import type { CheckResult, CheckStatus, MonitorState, MonitorStatus, StateChangeEvent } from '@vedette/sdk'

/** Default thresholds, documented in docs/architecture.md ("State engine"). */
export const DEFAULT_FAILURE_THRESHOLD = 2
export const DEFAULT_RECOVERY_THRESHOLD = 1

export interface StateSubject {
  tenantId: string
  id: string
  failureThreshold: number
  recoveryThreshold: number
}

interface Tracked {
  status: MonitorStatus
  since: number
  reason: string
  /** Consecutive results worse than the kept status. */
  worse: number
  /** Consecutive results better than the kept status. */
  better: number
}

const RANK: Record<Exclude<CheckStatus, 'unknown'>, number> = { up: 0, degraded: 1, down: 2 }

/**
 * Keeps each monitor's status and decides transitions. A result worse than the
 * kept status must repeat `failureThreshold` times in a row to move it (one
 * blip pages nobody); a better one `recoveryThreshold` times. The move goes to
 * the latest result's status. `unknown` results (overload, plugin bugs) count
 * neither way: the engine not knowing is not the target failing.
 */
export class StateEngine {
  readonly #states = new Map<string, Tracked>()

  /** Seeds kept states from storage after a restart. */
  restore(states: readonly MonitorState[]): void {
    for (const s of states) {
      this.#states.set(key(s.tenantId, s.monitorId), { status: s.status, since: s.since, reason: s.reason, worse: 0, better: 0 })
    }
  }

  get(tenantId: string, monitorId: string): { status: MonitorStatus; since: number; reason: string } | undefined {
    const t = this.#states.get(key(tenantId, monitorId))
    return t && { status: t.status, since: t.since, reason: t.reason }
  }

  /** Feeds one result; returns the transition it caused, if any. */
  observe(subject: StateSubject, result: CheckResult): StateChangeEvent | undefined {
    if (result.status === 'unknown') return undefined
    const k = key(subject.tenantId, subject.id)
    let t = this.#states.get(k)
    if (t === undefined) {
      t = { status: 'pending', since: result.startedAt, reason: 'new monitor', worse: 0, better: 0 }
      this.#states.set(k, t)
    }
    // Paused/maintenance monitors do not run; a late result of an earlier run must not move them.
    if (t.status === 'paused' || t.status === 'maintenance') return undefined
    // Whole milliseconds: stores keep epoch ms as integers.
    const at = Math.round(result.startedAt + result.latencyMs)
    const rank = RANK[result.status]
    if (t.status === 'pending' && result.status === 'up') return this.#move(subject, t, 'up', at, 'first check succeeded')
    const current = t.status === 'pending' ? 0 : RANK[t.status as keyof typeof RANK]
    if (rank > current || (t.status === 'pending' && rank > 0)) {
      t.worse++
      t.better = 0
      if (t.worse >= subject.failureThreshold) {
        const reason = result.message ?? `${t.worse} consecutive ${result.status} results`
        return this.#move(subject, t, result.status, at, reason)
      }
    } else if (rank < current) {
      t.better++
      t.worse = 0
      if (t.better >= subject.recoveryThreshold) {
        return this.#move(subject, t, result.status, at, `${t.better} consecutive ${result.status} result${t.better > 1 ? 's' : ''}`)
      }
    } else {
      t.worse = 0
      t.better = 0
    }
    return undefined
  }

  /** Sets a status that does not come from results (paused, maintenance, back to pending). */
  set(subject: Pick<StateSubject, 'tenantId' | 'id'>, status: MonitorStatus, reason: string, at = Date.now()): StateChangeEvent | undefined {
    const k = key(subject.tenantId, subject.id)
    const t = this.#states.get(k) ?? { status: 'pending' as MonitorStatus, since: at, reason: 'new monitor', worse: 0, better: 0 }
    this.#states.set(k, t)
    if (t.status === status) return undefined
    return this.#move(subject, t, status, at, reason)
  }

  remove(tenantId: string, monitorId: string): void {
    this.#states.delete(key(tenantId, monitorId))
  }

  #move(subject: Pick<StateSubject, 'tenantId' | 'id'>, t: Tracked, to: MonitorStatus, at: number, reason: string): StateChangeEvent {
    const event: StateChangeEvent = { tenantId: subject.tenantId, monitorId: subject.id, from: t.status, to, reason, at }
    t.status = to
    t.since = at
    t.reason = reason
    t.worse = 0
    t.better = 0
    return event
  }
}

function key(tenantId: string, id: string): string {
  return `${tenantId}\u0000${id}`
}
