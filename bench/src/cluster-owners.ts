/**
 * Which node should run each monitor, predicted from outside the nodes so the
 * bench knows which monitors a killed node leaves behind. The same rendezvous
 * hashing as core/src/cluster/rendezvous.ts (not exported by @vedette/core),
 * over the same stableHash; the bench checks the prediction against the
 * monitor counts every member reports in GET /api/v1/cluster and says so when
 * they differ (then the failover figures fall back to what the target saw).
 */
import { stableHash } from '@vedette/core'
import { monitorId } from './engine-process.js'

/** murmur3's finaliser, as rendezvous.ts mixes each score. */
function mix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = -1
  for (const member of members) {
    const score = mix(stableHash(`${member}\0${key}`))
    if (score > bestScore || (score === bestScore && best !== undefined && member < best)) {
      best = member
      bestScore = score
    }
  }
  return best
}

/** Monitor indexes per member, for the bench's monitors (tenant `default`). */
export function predictOwners(monitors: number, members: readonly string[]): Map<string, number[]> {
  const owned = new Map<string, number[]>(members.map((m) => [m, []]))
  for (let i = 0; i < monitors; i++) owned.get(ownerOf(`default/${monitorId(i)}`, members) as string)?.push(i)
  return owned
}
