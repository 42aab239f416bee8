import pg from 'pg'
import type { Logger } from '@vedette/sdk'
import { redactSecrets } from './redact-url.js'

const INT8_OID = 20

/**
 * How long any statement may go without an answer before the connection is
 * given up as dead. Refused and reset connections fail at once; this bounds
 * the silent kind (a host or firewall dropping packets), where TCP keepalive
 * alone would take minutes. Maintenance statements pass LONG_QUERY_TIMEOUT_MS.
 */
export const QUERY_TIMEOUT_MS = 30_000
export const LONG_QUERY_TIMEOUT_MS = 3_600_000

/** A statement allowed LONG_QUERY_TIMEOUT_MS (pg reads a per-query `query_timeout`; @types/pg does not declare it). */
export function longQuery<V extends unknown[]>(text: string, values?: V): pg.QueryConfig<V> {
  return { text, values, query_timeout: LONG_QUERY_TIMEOUT_MS } as pg.QueryConfig<V>
}

/**
 * Type parsers for this pool only (pg's global registry is shared with every
 * other user of `pg` in the process). bigint columns hold epoch milliseconds
 * and ids, far below 2^53, so they come back as numbers instead of strings.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
}

export interface PoolOptions {
  url: string
  poolSize: number
  logger: Logger
}

/** A pool whose idle-connection errors are logged (redacted) instead of crashing the process. */
export function createPool({ url, poolSize, logger }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    // A refused connection fails at once; this bounds the silent kind (a
    // firewall dropping packets), so an outage is noticed and results buffered.
    connectionTimeoutMillis: 5_000,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'vedette'
  })
  // pg emits 'error' on the pool when an *idle* client loses its connection;
  // without a listener that is an uncaught exception.
  pool.on('error', (err) => logger.warn({ err: redactError(err, url) }, 'postgres: an idle connection failed; it was dropped from the pool'))
  // A checked-out client whose connection drops between two queries emits
  // 'error' with nobody listening (the pool only listens while it is idle),
  // which would crash the process. The loss still surfaces: the query in
  // flight, or the next one, fails with a connection error.
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  // SQLSTATE: the server is shutting down, crashed, or not accepting connections yet.
  '57P01',
  '57P02',
  '57P03',
  '53300' // too_many_connections: the server is up but cannot take us right now
])
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Client was closed|not queryable|Query read timeout/i

/**
 * True when `err` means "the server could not be reached or the connection
 * died", as opposed to the server refusing a statement. Only these errors turn
 * into buffering (writes) or 503s (reads).
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true
  if (err instanceof AggregateError) return err.errors.some(isConnectionError)
  return CONNECTION_MESSAGES.test(err.message)
}

/** A copy of `err` safe to log: message and stack with the URL's secrets removed. */
export function redactError(err: unknown, url: string): { message: string; code?: string; stack?: string } {
  if (!(err instanceof Error)) return { message: redactSecrets(String(err), url) }
  const code = (err as { code?: unknown }).code
  const out: { message: string; code?: string; stack?: string } = { message: redactSecrets(err.message, url) }
  if (typeof code === 'string') out.code = code
  if (err.stack !== undefined) out.stack = redactSecrets(err.stack, url)
  return out
}

/**
 * Runs `fn` in a transaction on `client`, which the caller holds (and must not
 * put back in the pool if this throws a connection error).
 */
export async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN')
  try {
    const out = await fn()
    await client.query('COMMIT')
    return out
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  }
}

/** Runs `fn` in a transaction on one pooled client; rolls back on any throw. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  let discard: Error | undefined
  try {
    await client.query('BEGIN')
    const out = await fn(client)
    await client.query('COMMIT')
    return out
  } catch (err) {
    try {
      await client.query('ROLLBACK')
      if (isConnectionError(err)) discard = err as Error
    } catch (rollbackErr) {
      // The connection is gone (the server rolls back on its own) or in a state
      // a COPY left it in: either way it must not go back to the pool.
      discard = rollbackErr as Error
    }
    throw err
  } finally {
    client.release(discard)
  }
}
