import { Redis } from 'ioredis'
import type { Logger } from '@vedette/sdk'
import type { ResolvedRedisConfig } from './config.js'
import { scripts } from './scripts.js'

/** Longest wait between two reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2000

/** 100 ms, 200 ms, ... up to 2 s: quick after a blip, gentle on a Redis that stays down. */
function retryStrategy(times: number): number {
  return Math.min(times * 100, MAX_RECONNECT_DELAY_MS)
}

/** Client names allow printable ASCII without spaces; the prefix goes in so `CLIENT LIST` says which cluster a connection serves. */
function clientName(role: string, prefix: string): string {
  return `vedette-${role}:${prefix}`.replace(/[^\x21-\x7e]/g, '_')
}

/**
 * One ioredis connection set up to fail fast: no offline queue (a command
 * while disconnected rejects at once instead of waiting for a reconnect that
 * may never come), no resend of commands that were in flight when the
 * connection dropped (the caller already got its error), a per-command timeout.
 * It reconnects on its own, for ever, and the subscriber one resubscribes
 * (ioredis `autoResubscribe`, on by default).
 */
export function openConnection(
  config: ResolvedRedisConfig,
  role: 'commands' | 'events',
  logger: Logger,
  stopping: () => boolean
): Redis {
  const client = new Redis(config.url, {
    lazyConnect: true,
    connectionName: clientName(role, config.prefix),
    connectTimeout: config.connectTimeout,
    commandTimeout: config.commandTimeout,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: true,
    retryStrategy,
    // After a failover the old primary turns replica and answers READONLY:
    // reconnecting (through DNS or a proxy) finds the new primary.
    reconnectOnError: (err) => err.message.startsWith('READONLY'),
    scripts: role === 'commands' ? scripts : undefined
  })
  watchConnection(client, config.safeUrl, role, logger, stopping)
  return client
}

/**
 * Logs state changes, not every failed attempt: one warning when the
 * connection is lost or cannot be made, one info line when it is back. The
 * `error` listener also keeps ioredis from printing "Unhandled error event".
 */
function watchConnection(client: Redis, url: string, role: string, logger: Logger, stopping: () => boolean): void {
  let lost = false
  client.on('error', (err: Error) => {
    if (lost || stopping()) return
    lost = true
    logger.warn({ redis: url, connection: role, err: err.message }, 'redis unavailable; retrying in the background')
  })
  client.on('close', () => {
    if (lost || stopping()) return
    lost = true
    logger.warn({ redis: url, connection: role }, 'redis connection closed; reconnecting')
  })
  client.on('ready', () => {
    if (lost) logger.info({ redis: url, connection: role }, 'redis connection restored')
    else logger.debug({ redis: url, connection: role }, 'redis connected')
    lost = false
  })
}

/**
 * Connects and resolves after the first attempt's outcome: `ready`, or the
 * first error. Not `connect()`'s own promise, which after a failed handshake
 * waits for ioredis to tear the socket down (two more seconds on a server
 * that accepts and never answers). Retries go on in the background.
 */
export function firstAttempt(client: Redis): Promise<void> {
  return new Promise((resolve) => {
    const events = ['ready', 'error', 'end'] as const
    const done = (): void => {
      for (const event of events) client.off(event, done)
      resolve()
    }
    for (const event of events) client.on(event, done)
    client.connect().catch(() => {})
  })
}
