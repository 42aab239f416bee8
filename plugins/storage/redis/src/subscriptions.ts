import type { ClusterMessage, Logger } from '@vedette/sdk'
import type { Redis } from 'ioredis'
import type { KeyLayout } from './keys.js'

type Handler = (message: ClusterMessage) => void

interface Channel {
  /** One token per `subscribe` call, so the same function subscribed twice is called twice and unsubscribed once per call. */
  readonly handlers: Set<{ handler: Handler }>
  /** Settles when Redis confirmed the SUBSCRIBE; rejects when it failed. */
  readonly confirmed: Promise<unknown>
}

/** True for a parsed message with the `ClusterMessage` shape; anything else on the channel is dropped. */
export function isClusterMessage(value: unknown): value is ClusterMessage {
  if (value === null || typeof value !== 'object') return false
  const m = value as Record<string, unknown>
  return typeof m.from === 'string' && typeof m.type === 'string' && m.payload !== null && typeof m.payload === 'object' && !Array.isArray(m.payload)
}

/**
 * Handlers per channel on the dedicated subscriber connection (a connection
 * in subscribe mode cannot run other commands on RESP2). Redis is subscribed
 * once per channel however many handlers it has; ioredis re-subscribes every
 * channel after a reconnect, so handlers survive a dropped connection
 * (messages published while it was down are lost: pub/sub keeps nothing).
 */
export class SubscriptionRegistry {
  readonly #client: Redis
  readonly #keys: KeyLayout
  readonly #logger: Logger
  readonly #channels = new Map<string, Channel>()

  constructor(client: Redis, keys: KeyLayout, logger: Logger) {
    this.#client = client
    this.#keys = keys
    this.#logger = logger
    client.on('message', (redisChannel: string, raw: string) => this.#dispatch(redisChannel, raw))
  }

  /** Subscribes (once per channel); rejects with the Redis error when the SUBSCRIBE fails, and the handler is not kept. */
  async add(name: string, handler: Handler): Promise<() => Promise<void>> {
    let channel = this.#channels.get(name)
    if (channel === undefined) {
      const created: Channel = { handlers: new Set(), confirmed: this.#client.subscribe(this.#keys.channel(name)) }
      created.confirmed.catch(() => {
        if (this.#channels.get(name) === created) this.#channels.delete(name)
      })
      this.#channels.set(name, created)
      channel = created
    }
    await channel.confirmed
    const token = { handler }
    channel.handlers.add(token)
    const subscribed = channel
    return async () => {
      if (!subscribed.handlers.delete(token) || subscribed.handlers.size > 0) return
      if (this.#channels.get(name) !== subscribed) return
      this.#channels.delete(name)
      // Best effort: the handler is gone either way. If Redis is down the
      // channel stays in ioredis's set and its messages are ignored here.
      await this.#client.unsubscribe(this.#keys.channel(name)).catch((err: unknown) => {
        this.#logger.debug({ channel: name, err: String(err) }, 'redis unsubscribe failed')
      })
    }
  }

  #dispatch(redisChannel: string, raw: string): void {
    const name = this.#keys.channelName(redisChannel)
    const channel = name === undefined ? undefined : this.#channels.get(name)
    if (channel === undefined || channel.handlers.size === 0) return
    let message: unknown
    try {
      message = JSON.parse(raw)
    } catch {
      message = undefined
    }
    if (!isClusterMessage(message)) {
      this.#logger.warn({ channel: name, bytes: raw.length }, 'dropped a pub/sub message that is not a JSON ClusterMessage')
      return
    }
    for (const { handler } of [...channel.handlers]) {
      try {
        handler(message)
      } catch (err) {
        this.#logger.error({ channel: name, err }, 'a cluster message handler threw; the other handlers still ran')
      }
    }
  }
}
