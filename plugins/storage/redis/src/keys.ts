/**
 * The key layout, in one place so the README's "Keys" section has one source.
 * Every name starts with the configured prefix; the fixed segment after it
 * (`members`, `member:`, `lease:`, `status:`, `events:`) keeps the kinds apart
 * whatever the names in them contain, colons included.
 */
export interface KeyLayout {
  /** Sorted set: member = node id, score = expiry in Redis server time (epoch ms). */
  readonly members: string
  /** Hash of one node's facts, with a PX TTL equal to its heartbeat TTL. */
  member(nodeId: string): string
  /** String holding the owner, set with NX PX. */
  lease(name: string): string
  /** Hash per tenant: field = monitor id, value = JSON `LiveStatus`. */
  status(tenantId: string): string
  /** Pub/sub channel (not a key: SCAN does not see it). */
  channel(name: string): string
  /** The engine's channel name for a Redis channel of this layout, or undefined for a foreign one. */
  channelName(redisChannel: string): string | undefined
}

export function keyLayout(prefix: string): KeyLayout {
  const events = `${prefix}events:`
  return {
    members: `${prefix}members`,
    member: (nodeId) => `${prefix}member:${nodeId}`,
    lease: (name) => `${prefix}lease:${name}`,
    status: (tenantId) => `${prefix}status:${tenantId}`,
    channel: (name) => `${events}${name}`,
    channelName: (redisChannel) => (redisChannel.startsWith(events) ? redisChannel.slice(events.length) : undefined)
  }
}
