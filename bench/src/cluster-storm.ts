/**
 * An alert storm during a failover: the targets of `failing` monitors (all by
 * default) fail at once; once a share of them has been notified (the storm is
 * under way: alerts firing, notices in the outbox, some leased by the node
 * about to die), the leader is killed with -9. Then the receiver's firing
 * notices are counted per alert id, per monitor and per idempotency key, long
 * enough after the kill for an outbox lease the dead node held to expire and
 * its items to be sent by a survivor (the lease is 120 s).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Receiver } from './alerts-rig.js'
import { killAndMeasure } from './cluster-failover.js'
import type { FailoverResult } from './cluster-failover.js'
import { epochNow } from './cluster-rig.js'
import type { ClusterNode, Target } from './cluster-rig.js'
import { diffCounters } from './cluster-steady.js'
import type { TargetCounters } from './cluster-target.js'
import { percentiles } from './stats.js'

export interface StormSpec {
  monitors: number
  /** Monitors whose target fails (the first ones). */
  failing: number
  everyMs: number
  /** Share of the failing monitors notified before the kill. */
  killAt: number
  /** How long after the kill notices are still counted. */
  quietMs: number
  failoverWaitMs: number
}

export interface StormResult {
  failing: number
  failover: FailoverResult
  /** Monitors with a firing notice when the node was killed. */
  notifiedAtKill: number
  /** ms from the targets failing to the kill. */
  killAfterMs: number
  posts: number
  /** Firing notices (one per alert in a POST). */
  notices: number
  distinctAlerts: number
  monitorsNotified: number
  /** Alert ids delivered more than once, and the extra deliveries. */
  alertsTwice: number
  extraDeliveries: number
  /** Seconds between the first and the second delivery of an alert: p50 and max. */
  redeliveryS: [number, number]
  /** Monitors that got more than one firing alert (a second alert id for the same incident). */
  monitorsTwice: number
  keysTwice: number
  /** Resolved notices while the targets still failed: alerts closed that should have stayed open. */
  resolvedWhileDown: number
  /** ms from the targets failing until every failing monitor had its notice. */
  allNotifiedMs: number
  /** Duplicate runs at the target from the failure to the kill, and after the failover window. */
  beforeKill: TargetCounters
  afterFailover: TargetCounters
  samples: string[]
}

interface Tally {
  /** Per alert id: when each delivery arrived. */
  alerts: Map<string, number[]>
  monitors: Map<string, Set<string>>
  keys: Map<string, number>
  posts: number
  resolved: Array<{ alert: string; monitor: string }>
}

function tally(receiver: Receiver, from: number): Tally {
  const t: Tally = { alerts: new Map(), monitors: new Map(), keys: new Map(), posts: 0, resolved: [] }
  for (const post of receiver.posts) {
    if (post.at < from) continue
    if (post.event === 'resolved') for (const a of post.alerts) t.resolved.push({ alert: a.id, monitor: a.monitorId })
    if (post.event !== 'firing') continue
    t.posts++
    t.keys.set(post.idempotencyKey, (t.keys.get(post.idempotencyKey) ?? 0) + 1)
    for (const a of post.alerts) {
      t.alerts.set(a.id, [...(t.alerts.get(a.id) ?? []), post.at])
      t.monitors.set(a.monitorId, (t.monitors.get(a.monitorId) ?? new Set()).add(a.id))
    }
  }
  return t
}

export async function runStorm(nodes: readonly ClusterNode[], leader: ClusterNode, target: Target, receiver: Receiver, spec: StormSpec): Promise<StormResult> {
  const c0 = await target.counters()
  const downAt = await target.set('down', spec.failing)
  const threshold = Math.ceil(spec.failing * spec.killAt)
  process.stdout.write(`  ${spec.failing.toLocaleString('en-US')} targets fail from ${new Date(downAt).toISOString()}; kill -9 once ${threshold.toLocaleString('en-US')} monitors are notified\n`)
  let notified = 0
  let allNotifiedAt = 0
  receiver.onPost(() => {
    notified = tally(receiver, downAt).monitors.size
    if (allNotifiedAt === 0 && notified >= spec.failing) allNotifiedAt = epochNow()
  })
  while (notified < threshold) {
    if (epochNow() - downAt > 3 * spec.everyMs + 120_000) throw new Error(`only ${notified} monitors notified ${(epochNow() - downAt) / 1000} s after their targets failed`)
    await sleep(100)
  }
  const notifiedAtKill = notified
  const beforeKill = diffCounters(c0, await target.counters())
  const failover = await killAndMeasure(nodes, leader, true, target, { monitors: spec.monitors, everyMs: spec.everyMs, waitMs: spec.failoverWaitMs })
  const c1 = await target.counters()
  for (;;) {
    const since = epochNow() - failover.killedAt
    if (since >= spec.quietMs) break
    process.stdout.write(`    ${(since / 1000).toFixed(0)} s after the kill: ${notified.toLocaleString('en-US')} monitors notified; counting until ${spec.quietMs / 1000} s (outbox leases of the dead node expire)\n`)
    await sleep(Math.min(15_000, spec.quietMs - since))
  }
  const afterFailover = diffCounters(c1, await target.counters())
  const t = tally(receiver, downAt)
  const twice = [...t.alerts].filter(([, at]) => at.length > 1)
  const monitorsTwice = [...t.monitors].filter(([, ids]) => ids.size > 1)
  const gaps = twice.map(([, at]) => (at[1]! - at[0]!) / 1000)
  const [p50, max] = gaps.length === 0 ? [Number.NaN, Number.NaN] : percentiles(gaps, [50, 100])
  return {
    failing: spec.failing,
    failover,
    notifiedAtKill,
    killAfterMs: failover.killedAt - downAt,
    posts: t.posts,
    notices: [...t.alerts.values()].reduce((a, b) => a + b.length, 0),
    distinctAlerts: t.alerts.size,
    monitorsNotified: t.monitors.size,
    alertsTwice: twice.length,
    extraDeliveries: twice.reduce((sum, [, at]) => sum + at.length - 1, 0),
    redeliveryS: [p50 as number, max as number],
    monitorsTwice: monitorsTwice.length,
    keysTwice: [...t.keys.values()].filter((n) => n > 1).length,
    resolvedWhileDown: t.resolved.length,
    allNotifiedMs: allNotifiedAt === 0 ? Number.NaN : allNotifiedAt - downAt,
    beforeKill,
    afterFailover,
    samples: [
      ...twice.slice(0, 3).map(([id, at]) => `alert ${id} delivered ${at.length}× (${at.map((a) => `${((a - failover.killedAt) / 1000).toFixed(1)} s`).join(', ')} after the kill)`),
      ...monitorsTwice.slice(0, 3).map(([m, ids]) => `monitor ${m}: alerts ${[...ids].join(', ')}`),
      ...t.resolved.slice(0, 3).map((r) => `resolved while still failing: ${r.alert} (${r.monitor})`)
    ]
  }
}
