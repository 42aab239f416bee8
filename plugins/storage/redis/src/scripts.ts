import type { Redis } from 'ioredis'

// Lua scripts, registered with ioredis's `scripts` option so they run by
// EVALSHA with an automatic EVAL fallback after a SCRIPT FLUSH or a restart.
// Each one is atomic on the server: that is what makes "compare the owner,
// then extend or delete" safe against a lease that changed hands in between.
//
// Times come from the Redis server's TIME, never from a node's clock, so nodes
// with skewed clocks agree on who is alive. Redis 5+ replicates scripts by
// effects, which is what allows TIME before a write.

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`

/** KEYS: members, member:<id>. ARGV: nodeId, ttlMs, address ('' for none), startedAt, meta JSON. Returns now. */
const heartbeat = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'nodeId', ARGV[1], 'startedAt', ARGV[4], 'lastSeen', now, 'meta', ARGV[5])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'address', ARGV[3]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return now`

/** KEYS: members. Drops every member whose expiry has passed, returns the ids left. */
const liveMembers = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`

/** KEYS: lease. ARGV: owner, ttlMs. 1 when owner holds the lease afterwards (taken or renewed), else 0. */
const acquireLease = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`

/** KEYS: lease. ARGV: owner. 1 when it deleted the owner's lease, 0 when someone else (or nobody) holds it. */
const releaseLease = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`

export const scripts = {
  vdtHeartbeat: { lua: heartbeat, numberOfKeys: 2 },
  vdtLiveMembers: { lua: liveMembers, numberOfKeys: 1 },
  vdtAcquireLease: { lua: acquireLease, numberOfKeys: 1 },
  vdtReleaseLease: { lua: releaseLease, numberOfKeys: 1 }
} as const

/** The commands ioredis adds for `scripts`; it types them only through declaration merging, so this view says it once. */
export interface ScriptCommands {
  vdtHeartbeat(members: string, member: string, nodeId: string, ttlMs: number, address: string, startedAt: number, meta: string): Promise<number>
  vdtLiveMembers(members: string): Promise<string[]>
  vdtAcquireLease(lease: string, owner: string, ttlMs: number): Promise<number>
  vdtReleaseLease(lease: string, owner: string): Promise<number>
}

export function scriptCommands(client: Redis): ScriptCommands {
  return client as unknown as ScriptCommands
}
