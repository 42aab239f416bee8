import { hostname } from 'node:os'
import type { ClusterMember, ClusterMessage, Coordinator, LiveStatus, Logger } from '@vedette/sdk'
import type { ClusterSettings } from '../config/types.js'

export const LEADER_LEASE = 'leader'
const CONFIG_CHANNEL = 'config'

export interface ClusterEvents {
  /** The live member ids changed (sorted). */
  membersChanged(members: readonly string[]): void
  /** Another node stored config version `version`. */
  configChanged(version: number): void
  /** This node became (or stopped being) the leader that runs singleton jobs. */
  leadershipChanged?(leader: boolean): void
  /** Facts this node publishes with each heartbeat. */
  meta(): Record<string, unknown>
}

/**
 * This node's membership in the cluster: a heartbeat every `heartbeatMs`
 * with a TTL of `memberTtlMs`, the live member list (which decides who runs
 * which monitor), the leader lease for singleton jobs, and config-change
 * messages. When the coordinator is unreachable the node keeps the last
 * member list it saw (no rebalancing, so nothing stops being checked) and
 * gives up leadership (so no singleton job runs twice).
 */
export class ClusterService {
  readonly nodeId: string
  readonly startedAt = Date.now()
  readonly #settings: ClusterSettings
  readonly #coordinator: Coordinator
  readonly #logger: Logger
  #events: ClusterEvents | undefined
  #members: ClusterMember[] = []
  #ids: string[] = []
  #leader = false
  #leaderId: string | undefined
  #timer: NodeJS.Timeout | undefined
  #beating: Promise<void> | undefined
  #unsubscribe: (() => Promise<void>) | undefined
  #healthy = true

  constructor(settings: ClusterSettings, coordinator: Coordinator, logger: Logger) {
    this.#settings = settings
    this.#coordinator = coordinator
    this.#logger = logger.child({ component: 'cluster' })
    this.nodeId = settings.nodeId ?? `${hostname()}-${process.pid}`
  }

  get settings(): ClusterSettings {
    return this.#settings
  }

  get coordinator(): Coordinator {
    return this.#coordinator
  }

  /** Live member ids, sorted; this node alone until the first heartbeat answered. */
  get memberIds(): readonly string[] {
    return this.#ids.length > 0 ? this.#ids : [this.nodeId]
  }

  get isLeader(): boolean {
    return this.#leader
  }

  /** Connects, joins and learns the members (so the first rebalance is right), then beats. */
  async start(events: ClusterEvents): Promise<void> {
    this.#events = events
    await this.#coordinator.start()
    try {
      this.#unsubscribe = await this.#coordinator.subscribe(CONFIG_CHANNEL, (m) => this.#onMessage(m))
    } catch (err) {
      this.#logger.warn({ err }, 'cannot subscribe to config changes yet; they are polled from storage meanwhile')
    }
    await this.#beat()
    this.#timer = setInterval(() => {
      if (this.#beating === undefined) this.#beating = this.#beat().finally(() => (this.#beating = undefined))
    }, this.#settings.heartbeatMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#beating
    try {
      if (this.#leader) await this.#coordinator.releaseLease(LEADER_LEASE, this.nodeId)
      await this.#coordinator.leave(this.nodeId)
      await this.#unsubscribe?.()
    } catch (err) {
      this.#logger.warn({ err }, 'leaving the cluster cleanly failed; the others notice after the member TTL')
    }
    await this.#coordinator.stop()
  }

  /** Tells every node a new config version is stored. */
  async publishConfig(version: number): Promise<void> {
    try {
      await this.#coordinator.publish(CONFIG_CHANNEL, { from: this.nodeId, type: 'config-changed', payload: { version } })
    } catch (err) {
      this.#logger.warn({ err, version }, 'could not broadcast a config change; other nodes pick it up from storage within 5 s')
    }
  }

  /** Members as last seen, with who leads. */
  describe(): { nodeId: string; leader: string | undefined; healthy: boolean; members: ClusterMember[] } {
    return { nodeId: this.nodeId, leader: this.#leaderId, healthy: this.#healthy, members: this.#members.map((m) => ({ ...m })) }
  }

  async putLiveStatus(tenantId: string, statuses: readonly LiveStatus[]): Promise<void> {
    if (!this.#coordinator.healthy()) return
    await this.#coordinator.putLiveStatus(tenantId, statuses)
  }

  async liveStatus(tenantId: string, ids: readonly string[]): Promise<Map<string, LiveStatus>> {
    return this.#coordinator.liveStatus(tenantId, ids)
  }

  async #beat(): Promise<void> {
    const events = this.#events
    if (events === undefined) return
    try {
      await this.#coordinator.heartbeat(
        { nodeId: this.nodeId, ...(this.#settings.address ? { address: this.#settings.address } : {}), startedAt: this.startedAt, meta: events.meta() },
        this.#settings.memberTtlMs
      )
      const members = await this.#coordinator.members()
      this.#members = members
      const ids = members.map((m) => m.nodeId).sort()
      if (!ids.includes(this.nodeId)) ids.push(this.nodeId)
      ids.sort()
      if (ids.join('\n') !== this.#ids.join('\n')) {
        this.#logger.info({ members: ids, previous: this.#ids }, `cluster members: ${ids.length}`)
        this.#ids = ids
        events.membersChanged(ids)
      }
      const leader = await this.#coordinator.acquireLease(LEADER_LEASE, this.nodeId, this.#settings.memberTtlMs)
      this.#leaderId = leader ? this.nodeId : await this.#coordinator.leaseHolder(LEADER_LEASE)
      this.#setLeader(leader)
      if (!this.#healthy) this.#logger.info('coordinator reachable again')
      this.#healthy = true
    } catch (err) {
      if (this.#healthy) this.#logger.warn({ err }, 'coordinator unreachable: keeping the last member list, giving up leadership')
      this.#healthy = false
      // A leader that cannot renew must assume another node took the lease.
      this.#setLeader(false)
    }
  }

  #setLeader(leader: boolean): void {
    if (leader === this.#leader) return
    this.#leader = leader
    this.#logger.info({ leader }, leader ? 'this node leads the cluster (singleton jobs run here)' : 'this node no longer leads')
    this.#events?.leadershipChanged?.(leader)
  }

  #onMessage(message: ClusterMessage): void {
    if (message.from === this.nodeId || message.type !== 'config-changed') return
    const version = Number(message.payload.version)
    if (Number.isSafeInteger(version)) this.#events?.configChanged(version)
  }
}
