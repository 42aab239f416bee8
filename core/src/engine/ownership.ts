import type { Logger, MonitorState } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import type { ClusterService } from '../cluster/cluster-service.js'
import { ownerOf } from '../cluster/rendezvous.js'

export interface OwnershipDeps {
  cluster: ClusterService | undefined
  listMonitors(): Monitor[]
  isScheduled(m: Monitor): boolean
  schedule(m: Monitor): void
  unschedule(m: Monitor): void
  /** Kept states from storage, for monitors this node takes over. */
  storedStates(tenantId: string): Promise<MonitorState[]>
  adoptStates(states: MonitorState[]): void
  /** The alert engine forgets a monitor another node now judges. */
  released(m: Monitor): void
  logger: Logger
}

/**
 * Which monitors this node runs. Alone, all of them. In a cluster, those
 * rendezvous hashing gives it among the live members: when the members
 * change, monitors this node lost stop at once, and monitors it gained start
 * after the handover delay — by then the node that had them has seen the same
 * change and stopped, so a monitor is not run twice in one interval.
 */
export class Ownership {
  readonly #d: OwnershipDeps
  #pending: NodeJS.Timeout | undefined
  #retryTimer: NodeJS.Timeout | undefined
  #stopped = false
  /** The members the last rebalance saw: who had a monitor before. */
  #previous: readonly string[] = []

  constructor(deps: OwnershipDeps) {
    this.#d = deps
  }

  owns(m: Monitor): boolean {
    const cluster = this.#d.cluster
    return cluster === undefined || ownerOf(`${m.tenantId}/${m.id}`, cluster.memberIds) === cluster.nodeId
  }

  /** How many of the monitors this node runs. */
  ownedCount(): number {
    let n = 0
    for (const m of this.#d.listMonitors()) if (m.enabled && this.owns(m)) n++
    return n
  }

  rebalance(): void {
    const members = this.#d.cluster?.memberIds ?? []
    const previous = this.#previous
    this.#previous = [...members]
    const gained: Monitor[] = []
    const orphaned: Monitor[] = []
    let lost = 0
    for (const m of this.#d.listMonitors()) {
      const owned = m.enabled && this.owns(m)
      const scheduled = this.#d.isScheduled(m)
      if (!owned && scheduled) {
        this.#d.unschedule(m)
        this.#d.released(m)
        lost++
      } else if (owned && !scheduled) {
        // A monitor whose previous owner left the cluster has nobody running it: take it now.
        // One whose previous owner is still a member waits the handover delay, so that node stops first.
        const before = ownerOf(`${m.tenantId}/${m.id}`, previous)
        if (before === undefined || !members.includes(before)) orphaned.push(m)
        else gained.push(m)
      }
    }
    if (lost > 0 || gained.length > 0 || orphaned.length > 0) this.#d.logger.info({ gained: gained.length, orphaned: orphaned.length, lost }, 'monitors rebalanced across the cluster')
    if (orphaned.length > 0) void this.#take(orphaned).catch((err) => this.#retry(err))
    if (gained.length === 0) return
    clearTimeout(this.#pending)
    const delay = this.#d.cluster?.settings.handoverDelayMs ?? 0
    this.#pending = setTimeout(() => void this.#take(gained).catch((err) => this.#retry(err)), delay)
    this.#pending.unref()
  }

  /**
   * A node joining a running cluster: the others ran all the monitors until
   * now, so this node's share starts only after the handover delay.
   */
  join(): void {
    const cluster = this.#d.cluster
    if (cluster !== undefined) this.#previous = cluster.memberIds.filter((id) => id !== cluster.nodeId)
    this.rebalance()
  }

  stop(): void {
    this.#stopped = true
    clearTimeout(this.#pending)
    clearTimeout(this.#retryTimer)
  }

  /** A takeover that failed (storage busy or away) is tried again: the monitors must not stay unrun. */
  #retry(err: unknown): void {
    this.#d.logger.error({ err }, 'taking over monitors failed; trying again in 1 s')
    if (this.#stopped) return
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => {
      // Orphans again: their previous owner is gone or has stopped them by now.
      this.#previous = []
      this.rebalance()
    }, 1000)
    this.#retryTimer.unref()
  }

  async #take(gained: Monitor[]): Promise<void> {
    const now = gained.filter((m) => m.enabled && this.owns(m) && !this.#d.isScheduled(m))
    const tenants = new Set(now.map((m) => m.tenantId))
    const ids = new Set(now.map((m) => `${m.tenantId}/${m.id}`))
    for (const tenant of tenants) {
      // The node that had them kept their statuses in storage: carry on from there.
      this.#d.adoptStates((await this.#d.storedStates(tenant)).filter((s) => ids.has(`${s.tenantId}/${s.monitorId}`)))
    }
    for (const m of now) this.#d.schedule(m)
  }
}
