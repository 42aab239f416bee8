import type { ClusterMember } from '@vedette/sdk'

/**
 * A member hash (see scripts.ts `heartbeat`) back to a `ClusterMember`; a hash
 * that is empty (expired between the two reads) or damaged yields undefined,
 * so a bad entry hides one node instead of failing `members()`.
 */
export function decodeMember(hash: Record<string, string>): ClusterMember | undefined {
  const { nodeId, address, startedAt, lastSeen, meta } = hash
  if (nodeId === undefined || startedAt === undefined || lastSeen === undefined) return undefined
  let parsedMeta: unknown
  try {
    parsedMeta = JSON.parse(meta ?? '{}')
  } catch {
    return undefined
  }
  const member: ClusterMember = {
    nodeId,
    startedAt: Number(startedAt),
    lastSeen: Number(lastSeen),
    meta: parsedMeta !== null && typeof parsedMeta === 'object' && !Array.isArray(parsedMeta) ? (parsedMeta as Record<string, unknown>) : {}
  }
  if (address !== undefined) member.address = address
  return member
}

/** Oldest `startedAt` first, as the contract says; node id breaks ties so every node sees the same order. */
export function byStartedAt(a: ClusterMember, b: ClusterMember): number {
  return a.startedAt - b.startedAt || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0)
}
