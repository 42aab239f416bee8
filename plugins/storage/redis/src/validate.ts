import type { ClusterMessage, LiveStatus } from '@vedette/sdk'
import { InvalidArgumentError } from './errors.js'
import { isClusterMessage } from './subscriptions.js'

// Checks on what the engine passes in. A bad call is a bug in the caller, and
// failing it here gives a precise message instead of a Lua error or a key
// named "lease:undefined".

export function requireName(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${what} must be a non-empty string`)
  return value
}

/** PX and PEXPIRE take whole milliseconds; a fraction is rounded up so a TTL is never shortened. */
export function requireTtl(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`ttlMs must be a positive number of milliseconds, got ${String(value)}`)
  }
  return Math.ceil(value)
}

export function requireMessage(value: unknown): ClusterMessage {
  if (!isClusterMessage(value)) throw new InvalidArgumentError('a cluster message needs string `from` and `type` and an object `payload`')
  return value
}

export function requireStatus(value: unknown, index: number): LiveStatus {
  const s = value as Partial<LiveStatus> | null
  if (s === null || typeof s !== 'object' || typeof s.monitorId !== 'string' || s.monitorId === '' || typeof s.status !== 'string' || typeof s.at !== 'number') {
    throw new InvalidArgumentError(`live status at index ${index} needs a non-empty monitorId, a string status and a numeric at`)
  }
  return s as LiveStatus
}

/** The same shape test for what comes back out of Redis, where a bad entry is skipped rather than thrown. */
export function isLiveStatus(value: unknown): value is LiveStatus {
  const s = value as Partial<LiveStatus> | null
  return s !== null && typeof s === 'object' && typeof s.monitorId === 'string' && typeof s.status === 'string' && typeof s.at === 'number'
}
