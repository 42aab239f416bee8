import { stableHash } from '../scheduler/next-run.js'

/**
 * Rendezvous (highest random weight) hashing: each key goes to the member
 * with the highest score for it. When a member leaves, only its keys move
 * (each to its second-best member); when one joins, it takes about 1/N of
 * every other member's keys and nothing else moves.
 */
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

/** murmur3's finaliser: FNV-1a alone spreads similar strings poorly across a few members. */
function mix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
