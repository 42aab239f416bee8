import type { PluginContext } from './plugin-context.js'
import type { PluginHooks } from './hooks.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kCoordinationPlugin } from './symbols.js'

/** A node of a cluster, as the coordination backend sees it. */
export interface ClusterMember {
  nodeId: string
  /** Where the node's API answers (for people and for `GET /api/v1/cluster`). */
  address?: string
  startedAt: number
  /** Epoch ms of the node's last heartbeat. */
  lastSeen: number
  /** Small facts the node publishes about itself (version, monitor count...). */
  meta: Record<string, unknown>
}

/** A live event fanned out to every node (config changes, status changes for dashboards). */
export interface ClusterMessage {
  /** The node that published it; nodes ignore their own messages when they need to. */
  from: string
  type: string
  payload: Record<string, unknown>
}

/** The newest status of one monitor, cached for every node to read. */
export interface LiveStatus {
  monitorId: string
  status: string
  at: number
  latencyMs?: number
  message?: string
}

/**
 * Cluster coordination: membership with heartbeats that expire, leases (one
 * holder at a time, expiring), pub/sub fan-out and a live status cache. It is
 * never the store of record (that is the storage plugin): losing it must only
 * degrade the cluster, never duplicate alerts, which the storage guards with
 * unique keys.
 */
export interface Coordinator {
  /** Connect. */
  start(): Promise<void>
  /** Leave the cluster (if joined) and disconnect. */
  stop(): Promise<void>
  /** Registers or refreshes this node; it counts as a member for `ttlMs` after each call. */
  heartbeat(member: Omit<ClusterMember, 'lastSeen'>, ttlMs: number): Promise<void>
  /** Removes the node at once (clean shutdown), so others take over without waiting for the TTL. */
  leave(nodeId: string): Promise<void>
  /** Live members, oldest `startedAt` first. */
  members(): Promise<ClusterMember[]>
  /** Takes the named lease for `owner`, or renews it if `owner` holds it; true when `owner` holds it afterwards. */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Gives the lease up if `owner` holds it; true when it did. */
  releaseLease(name: string, owner: string): Promise<boolean>
  /** Who holds the lease now, if anyone. */
  leaseHolder(name: string): Promise<string | undefined>
  publish(channel: string, message: ClusterMessage): Promise<void>
  /** Calls `handler` for every message on `channel` (including this node's own); returns the unsubscribe. */
  subscribe(channel: string, handler: (message: ClusterMessage) => void): Promise<() => Promise<void>>
  /** Caches statuses (one entry per monitor, replaced). */
  putLiveStatus(tenantId: string, statuses: readonly LiveStatus[]): Promise<void>
  /** Cached statuses, all of the tenant's when `monitorIds` is left out. */
  liveStatus(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, LiveStatus>>
  /** True while the backend answers; the engine uses it to degrade safely. */
  healthy(): boolean
}

export interface CoordinationDefinition<C> {
  /** Validate config and build; no I/O (that belongs in `start`). */
  create(config: C, ctx: PluginContext): Coordinator | Promise<Coordinator>
  hooks?: PluginHooks
}

export interface CoordinationPlugin<C = unknown> extends CoordinationDefinition<C> {
  readonly [kCoordinationPlugin]: true
}

/** Declares a coordination plugin (`cluster.plugin` in the config). */
export function defineCoordination<C>(definition: CoordinationDefinition<C>): CoordinationPlugin<C> {
  if (definition === null || typeof definition !== 'object' || typeof definition.create !== 'function') {
    throw new InvalidPluginDefinitionError('coordination', '`create` must be a function')
  }
  return Object.freeze({ ...definition, [kCoordinationPlugin]: true as const })
}

export function isCoordinationPlugin(value: unknown): value is CoordinationPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kCoordinationPlugin] === true
}
