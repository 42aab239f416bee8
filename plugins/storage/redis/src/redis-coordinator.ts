import type { ClusterMember, ClusterMessage, Coordinator, LiveStatus, Logger } from '@vedette/sdk'
import type { Redis } from 'ioredis'
import type { ResolvedRedisConfig } from './config.js'
import { firstAttempt, openConnection } from './connection.js'
import { InvalidArgumentError, NotStartedError, RedisCommandError, RedisUnavailableError } from './errors.js'
import { keyLayout, type KeyLayout } from './keys.js'
import { readStatuses, throwFirstError, writeStatuses } from './live-status.js'
import { byStartedAt, decodeMember } from './members.js'
import { scriptCommands } from './scripts.js'
import { SubscriptionRegistry } from './subscriptions.js'
import { requireMessage, requireName, requireStatus, requireTtl } from './validate.js'

export interface RedisCoordinatorOptions extends ResolvedRedisConfig {
  /** The plugin's package name, for errors. */
  name: string
  logger: Logger
}

/** The connections of one start()..stop() run. */
interface Session {
  readonly client: Redis
  /** The subscriber connection: pub/sub needs one of its own. */
  readonly events: Redis
  readonly subscriptions: SubscriptionRegistry
  /** Node ids this instance heartbeated and has not left: stop() makes them leave. */
  readonly joined: Set<string>
  /** Set by stop(), so the closing connections do not log themselves as lost. */
  readonly state: { stopping: boolean }
}

/** Redis replies that mean "not now" rather than "never": failover, loading, a busy script. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/

/**
 * The `Coordinator` contract on one Redis (or a primary behind Sentinel-aware
 * DNS). Every call fails fast with `VDT_ERR_REDIS_UNAVAILABLE` while Redis is
 * away, so the engine degrades instead of piling up work; the connections come
 * back on their own. See the README for the key layout.
 */
export class RedisCoordinator implements Coordinator {
  readonly #config: RedisCoordinatorOptions
  readonly #keys: KeyLayout
  /** The URL's password, raw and percent-decoded, scrubbed from error messages. */
  readonly #secrets: string[]
  #session: Session | undefined

  constructor(options: RedisCoordinatorOptions) {
    this.#config = options
    this.#keys = keyLayout(options.prefix)
    const raw = new URL(options.url).password
    let decoded = raw
    try {
      decoded = decodeURIComponent(raw)
    } catch {
      // a stray % in the password: ioredis gets it raw, so scrub it raw
    }
    this.#secrets = [...new Set([raw, decoded])].filter((s) => s !== '')
  }

  /**
   * Opens both connections and waits for their first attempt. A Redis that is
   * down at boot is logged and retried in the background, not thrown: the node
   * runs degraded (`healthy()` false) until it comes.
   */
  async start(): Promise<void> {
    if (this.#session !== undefined) return
    const { logger } = this.#config
    const state = { stopping: false }
    const client = openConnection(this.#config, 'commands', logger, () => state.stopping)
    const events = openConnection(this.#config, 'events', logger, () => state.stopping)
    const session: Session = {
      client,
      events,
      subscriptions: new SubscriptionRegistry(events, this.#keys, logger),
      joined: new Set(),
      state
    }
    this.#session = session
    await Promise.all([firstAttempt(client), firstAttempt(events)])
  }

  /** Leaves for every node this instance joined (when Redis answers), then closes both connections. */
  async stop(): Promise<void> {
    const session = this.#session
    if (session === undefined) return
    if (session.client.status === 'ready') {
      for (const nodeId of [...session.joined]) {
        await this.leave(nodeId).catch((err: unknown) => this.#config.logger.warn({ nodeId, err: String(err) }, 'could not leave the cluster on stop'))
      }
    }
    session.state.stopping = true
    this.#session = undefined
    await Promise.all([close(session.client), close(session.events)])
  }

  healthy(): boolean {
    const s = this.#session
    return s !== undefined && !s.state.stopping && s.client.status === 'ready' && s.events.status === 'ready'
  }

  async heartbeat(member: Omit<ClusterMember, 'lastSeen'>, ttlMs: number): Promise<void> {
    if (member === null || typeof member !== 'object') throw new InvalidArgumentError('member must be an object')
    const nodeId = requireName('nodeId', member.nodeId)
    const ttl = requireTtl(ttlMs)
    if (typeof member.startedAt !== 'number' || !Number.isFinite(member.startedAt)) throw new InvalidArgumentError('startedAt must be a number')
    const meta = JSON.stringify(member.meta ?? {})
    await this.#run('heartbeat', 'client', async (s) => {
      await scriptCommands(s.client).vdtHeartbeat(this.#keys.members, this.#keys.member(nodeId), nodeId, ttl, member.address ?? '', member.startedAt, meta)
      s.joined.add(nodeId)
    })
  }

  async leave(nodeId: string): Promise<void> {
    requireName('nodeId', nodeId)
    await this.#run('leave', 'client', async (s) => {
      throwFirstError(await s.client.multi().zrem(this.#keys.members, nodeId).del(this.#keys.member(nodeId)).exec())
      s.joined.delete(nodeId)
    })
  }

  /** Expired members are removed by the same call (Redis time), so a node killed with -9 drops out after its TTL. */
  async members(): Promise<ClusterMember[]> {
    return this.#run('members', 'client', async (s) => {
      const ids = await scriptCommands(s.client).vdtLiveMembers(this.#keys.members)
      if (ids.length === 0) return []
      const pipeline = s.client.pipeline()
      for (const id of ids) pipeline.hgetall(this.#keys.member(id))
      const hashes = throwFirstError(await pipeline.exec()) as Record<string, string>[]
      return hashes.flatMap((h) => decodeMember(h) ?? []).sort(byStartedAt)
    })
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const key = this.#keys.lease(requireName('lease name', name))
    requireName('owner', owner)
    const ttl = requireTtl(ttlMs)
    return this.#run('acquireLease', 'client', async (s) => (await scriptCommands(s.client).vdtAcquireLease(key, owner, ttl)) === 1)
  }

  async releaseLease(name: string, owner: string): Promise<boolean> {
    const key = this.#keys.lease(requireName('lease name', name))
    requireName('owner', owner)
    return this.#run('releaseLease', 'client', async (s) => (await scriptCommands(s.client).vdtReleaseLease(key, owner)) === 1)
  }

  async leaseHolder(name: string): Promise<string | undefined> {
    const key = this.#keys.lease(requireName('lease name', name))
    return this.#run('leaseHolder', 'client', async (s) => (await s.client.get(key)) ?? undefined)
  }

  async publish(channel: string, message: ClusterMessage): Promise<void> {
    const key = this.#keys.channel(requireName('channel', channel))
    const body = JSON.stringify(requireMessage(message))
    await this.#run('publish', 'client', (s) => s.client.publish(key, body))
  }

  async subscribe(channel: string, handler: (message: ClusterMessage) => void): Promise<() => Promise<void>> {
    requireName('channel', channel)
    if (typeof handler !== 'function') throw new InvalidArgumentError('handler must be a function')
    return this.#run('subscribe', 'events', (s) => s.subscriptions.add(channel, handler))
  }

  async putLiveStatus(tenantId: string, statuses: readonly LiveStatus[]): Promise<void> {
    const key = this.#keys.status(requireName('tenantId', tenantId))
    if (!Array.isArray(statuses)) throw new InvalidArgumentError('statuses must be an array')
    statuses.forEach(requireStatus)
    if (statuses.length === 0) return
    await this.#run('putLiveStatus', 'client', (s) => writeStatuses(s.client, key, statuses))
  }

  async liveStatus(tenantId: string, monitorIds?: readonly string[]): Promise<Map<string, LiveStatus>> {
    const key = this.#keys.status(requireName('tenantId', tenantId))
    if (monitorIds !== undefined) monitorIds.forEach((id) => requireName('monitorId', id))
    return this.#run('liveStatus', 'client', (s) => readStatuses(s.client, key, monitorIds, this.#config.logger))
  }

  /** Runs `fn` only on a ready connection and turns every failure into a coded error. */
  async #run<T>(op: string, connection: 'client' | 'events', fn: (session: Session) => Promise<T>): Promise<T> {
    const session = this.#session
    if (session === undefined) throw new NotStartedError(this.#config.name)
    const status = session[connection].status
    if (status !== 'ready') throw new RedisUnavailableError(this.#config.safeUrl, op, `not connected (connection ${status})`)
    try {
      return await fn(session)
    } catch (err) {
      throw this.#wrap(op, err)
    }
  }

  #wrap(op: string, err: unknown): Error {
    const raw = err instanceof Error ? err.message : String(err)
    // Redis and ioredis do not echo passwords today; this keeps it that way.
    const message = this.#secrets.reduce((text, secret) => text.split(secret).join('***'), raw)
    const isReply = err instanceof Error && err.name === 'ReplyError'
    if (isReply && !TRANSIENT_REPLY.test(message)) return new RedisCommandError(this.#config.safeUrl, op, message, { cause: err })
    return new RedisUnavailableError(this.#config.safeUrl, op, message, { cause: err })
  }
}

async function close(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => {})
  client.disconnect()
}
