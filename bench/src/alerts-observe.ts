/**
 * What the alerts bench observes: when each monitor's results cross the
 * rule's threshold (and recover), what the receiver got (latencies, groups,
 * duplicates), and what the engine stored (alerts, outbox items).
 */
import type { CheckResult } from '@vedette/sdk'
import type { Engine } from '@vedette/core'
import type { ReceivedPost } from './alerts-receiver.js'
import { epochNow } from './alerts-rig.js'

/** One result that crossed the threshold (or ended a firing streak). */
export interface Crossing {
  /** startedAt + latencyMs: when the check finished, in its worker thread. */
  end: number
  /** When the engine's main thread had the result (onResult). */
  main: number
}

/**
 * Follows every result the way the `consecutive` rule judges them (a streak
 * of `down` runs; any other status ends it), so the result that crossed the
 * threshold is known without asking the engine.
 */
export class Crossings {
  /** Monitors that have had an `up` result. */
  readonly up = new Set<string>()
  readonly fired = new Map<string, Crossing[]>()
  readonly recovered = new Map<string, Crossing[]>()
  readonly #streak = new Map<string, number>()
  readonly #threshold: number

  constructor(threshold: number) {
    this.#threshold = threshold
  }

  attach(engine: Engine): () => void {
    return engine.onResult((result) => this.#observe(result))
  }

  #observe(r: CheckResult): void {
    const c: Crossing = { end: r.startedAt + r.latencyMs, main: epochNow() }
    const streak = this.#streak.get(r.monitorId) ?? 0
    if (r.status === 'down') {
      this.#streak.set(r.monitorId, streak + 1)
      if (streak + 1 === this.#threshold) push(this.fired, r.monitorId, c)
      return
    }
    if (r.status === 'up') this.up.add(r.monitorId)
    if (streak >= this.#threshold) push(this.recovered, r.monitorId, c)
    this.#streak.set(r.monitorId, 0)
  }

  /** The latest crossing of a monitor that ended before `at`. */
  static before(list: readonly Crossing[] | undefined, at: number): Crossing | undefined {
    let found: Crossing | undefined
    for (const c of list ?? []) if (c.end <= at && (found === undefined || c.end > found.end)) found = c
    return found
  }

  count(map: ReadonlyMap<string, Crossing[]>): number {
    let n = 0
    for (const list of map.values()) n += list.length
    return n
  }
}

function push(map: Map<string, Crossing[]>, key: string, c: Crossing): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [c])
  else list.push(c)
}

export interface Delivery {
  alertId: string
  monitorId: string
  /** Receiver got the POST, epoch ms. */
  at: number
  /** From the crossing result's end to the POST. */
  totalMs: number
  /** From the main thread having the result to the POST. */
  afterMainMs: number
  /** Alerts in the POST that carried it. */
  groupSize: number
  crossing: Crossing
}

/** The first POST of `event` for each alert, matched to the result that crossed (firing) or recovered (resolved). */
export function deliveries(posts: readonly ReceivedPost[], event: 'firing' | 'resolved', crossings: Crossings): { list: Delivery[]; unmatched: number } {
  const seen = new Set<string>()
  const list: Delivery[] = []
  let unmatched = 0
  for (const post of posts) {
    if (post.event !== event) continue
    for (const a of post.alerts) {
      if (seen.has(a.id)) continue
      seen.add(a.id)
      const c = Crossings.before((event === 'firing' ? crossings.fired : crossings.recovered).get(a.monitorId), post.at)
      if (c === undefined) {
        unmatched++
        continue
      }
      list.push({ alertId: a.id, monitorId: a.monitorId, at: post.at, totalMs: post.at - c.end, afterMainMs: post.at - c.main, groupSize: post.alerts.length, crossing: c })
    }
  }
  return { list, unmatched }
}

export interface PostTally {
  posts: number
  /** Alerts carried, duplicates included. */
  carried: number
  distinctAlerts: number
  distinctMonitors: number
  /** Same alert id in more than one POST of this event. */
  duplicateAlerts: number
  /** Monitors with more than one distinct alert id. */
  monitorsAlertedTwice: number
  groupSizes: number[]
}

export function tallyPosts(posts: readonly ReceivedPost[], event: string): PostTally {
  const ids = new Set<string>()
  const perMonitor = new Map<string, Set<string>>()
  let carried = 0
  const groupSizes: number[] = []
  for (const post of posts) {
    if (post.event !== event) continue
    groupSizes.push(post.alerts.length)
    for (const a of post.alerts) {
      carried++
      ids.add(a.id)
      const set = perMonitor.get(a.monitorId) ?? new Set<string>()
      set.add(a.id)
      perMonitor.set(a.monitorId, set)
    }
  }
  return {
    posts: groupSizes.length,
    carried,
    distinctAlerts: ids.size,
    distinctMonitors: perMonitor.size,
    duplicateAlerts: carried - ids.size,
    monitorsAlertedTwice: [...perMonitor.values()].filter((s) => s.size > 1).length,
    groupSizes
  }
}

/** Idempotency keys that arrived more than once (a notification delivered twice). */
export function duplicateKeys(posts: readonly ReceivedPost[]): number {
  const keys = new Set<string>()
  let dup = 0
  for (const p of posts) {
    if (keys.has(p.idempotencyKey)) dup++
    keys.add(p.idempotencyKey)
  }
  return dup
}

export interface StoreTally {
  alerts: number
  byStatus: Record<string, number>
  /** Dedup keys (rule/monitor) with more than one stored alert. */
  keysWithSeveral: number
  /** Alert id → when it was opened (the judge's clock). */
  openedAt: Map<string, number>
  outbox: number
  outboxByState: Record<string, number>
  /** Outbox items that needed more than one attempt. */
  retried: number
  /** Each outbox item's trail, epoch ms: queued (the judge's clock), due (its group slot), first attempt started, and how long that attempt took. */
  trail: Array<{ alertId: string; event: string; createdAt: number; due: number; sentAt: number; sendMs: number }>
}

/** Reads every alert and outbox item of the default tenant back from the engine's storage. */
export async function tallyStore(engine: Engine): Promise<StoreTally> {
  const byStatus: Record<string, number> = {}
  const perKey = new Map<string, number>()
  const openedAt = new Map<string, number>()
  let alerts = 0
  let cursor: string | undefined
  do {
    const page = await engine.alerting.store.list('default', { limit: 1000, ...(cursor === undefined ? {} : { cursor }) })
    for (const a of page.items) {
      alerts++
      byStatus[a.status] = (byStatus[a.status] ?? 0) + 1
      perKey.set(a.dedupKey, (perKey.get(a.dedupKey) ?? 0) + 1)
      openedAt.set(a.id, a.startedAt)
    }
    cursor = page.nextCursor
  } while (cursor !== undefined)
  const outboxByState: Record<string, number> = {}
  let outbox = 0
  let retried = 0
  const trail: StoreTally['trail'] = []
  cursor = undefined
  do {
    const page = await engine.storage.listOutbox('default', { limit: 1000, ...(cursor === undefined ? {} : { cursor }) })
    for (const item of page.items) {
      outbox++
      outboxByState[item.state] = (outboxByState[item.state] ?? 0) + 1
      if (item.attempts.length > 1) retried++
      const first = item.attempts[0]
      const event = String((item.notification as { event?: unknown }).event)
      trail.push({ alertId: item.alertIds[0] ?? '', event, createdAt: item.createdAt, due: item.nextAttemptAt, sentAt: first?.at ?? Number.NaN, sendMs: first?.latencyMs ?? Number.NaN })
    }
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return { alerts, byStatus, keysWithSeveral: [...perKey.values()].filter((n) => n > 1).length, openedAt, outbox, outboxByState, retried, trail }
}

/** Polls `done` every 50 ms until it holds or `limitMs` passed; false on timeout. */
export async function waitUntil(done: () => boolean, limitMs: number): Promise<boolean> {
  const until = Date.now() + limitMs
  while (!done()) {
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 50))
  }
  return true
}
