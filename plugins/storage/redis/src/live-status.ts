import type { LiveStatus, Logger } from '@vedette/sdk'
import type { Redis } from 'ioredis'
import { isLiveStatus } from './validate.js'

/** Fields per HSET: a batch of thousands of monitors goes as a few pipelined commands, not one huge one. */
const FIELDS_PER_COMMAND = 500

/** Throws the first error of a pipeline's replies (ioredis resolves `exec` with `[error, reply]` pairs). */
export function throwFirstError(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('transaction aborted')
  for (const [err] of replies) if (err) throw err
  return replies.map(([, reply]) => reply)
}

/** One HSET field per monitor, the value its JSON; a monitor listed twice keeps its last entry. */
export async function writeStatuses(client: Redis, key: string, statuses: readonly LiveStatus[]): Promise<void> {
  const pipeline = client.pipeline()
  for (let i = 0; i < statuses.length; i += FIELDS_PER_COMMAND) {
    const args: string[] = []
    for (const s of statuses.slice(i, i + FIELDS_PER_COMMAND)) args.push(s.monitorId, JSON.stringify(s))
    pipeline.hset(key, ...args)
  }
  throwFirstError(await pipeline.exec())
}

/** HGETALL for the whole tenant, HMGET for a list; missing monitors are left out of the map, damaged entries skipped. */
export async function readStatuses(client: Redis, key: string, monitorIds: readonly string[] | undefined, logger: Logger): Promise<Map<string, LiveStatus>> {
  const out = new Map<string, LiveStatus>()
  let entries: [string, string | null][]
  if (monitorIds === undefined) {
    entries = Object.entries(await client.hgetall(key))
  } else {
    if (monitorIds.length === 0) return out
    const values = await client.hmget(key, ...monitorIds)
    entries = monitorIds.map((id, i) => [id, values[i] ?? null])
  }
  for (const [monitorId, raw] of entries) {
    if (raw === null) continue
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      value = undefined
    }
    if (isLiveStatus(value) && value.monitorId === monitorId) out.set(monitorId, value)
    else logger.debug({ key, monitorId }, 'skipped a damaged live status entry')
  }
  return out
}
