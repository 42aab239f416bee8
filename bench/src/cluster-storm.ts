/**
 * An alert storm during a failover: every target fails at once; once a share
 * of the alerts has been notified (the storm is under way: alerts firing,
 * notices in the outbox, some leased by the node about to die), the leader is
 * killed with -9. Then the receiver's firing notices are counted per alert id,
 * per monitor and per idempotency key, long enough after the kill for an
 * outbox lease the dead node held to expire and its items to be sent by a
 * survivor (the lease is 120 s).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Receiver } from './alerts-rig.js'
import { killAndMeasure } from './cluster-failover.js'
import type { FailoverResult } from './cluster-failover.js'
import { epochNow } from './cluster-rig.js'
import type { ClusterNode, Target } from './cluster-rig.js'

export interface StormSpec {
  monitors: number
  everyMs: number
  /** Share of the monitors notified before the kill. */
  killAt: number
  /** How long after the kill notices are still counted. */
  quietMs: number
  failoverWaitMs: number
}

export interface StormResult {
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
  /** Monitors that got more than one firing alert (a second alert id for the same incident). */
  monitorsTwice: number
  keysTwice: number
  /** Resolved notices while every target still failed: alerts closed that should have stayed open. */
  resolvedWhileDown: number
  /** ms from the targets failing until every monitor had its notice. */
  allNotifiedMs: number
  samples: string[]
}

interface Tally {
  alerts: Map<string, number>
  monitors: Map<string, Set<string>>
  keys: Map<string, number>
  posts: number
  resolved: Array<{ alert: string; monitor: string }>
}

function tally(receiver: Receiver, from: number): Tally {
  const alerts = new Map<string, number>()
  const monitors = new Map<string, Set<string>>()
  const keys = new Map<string, number>()
  const resolved: Tally['resolved'] = []
  let posts = 0
  for (const post of receiver.posts) {
    if (post.at < from) continue
    if (post.event === 'resolved') for (const a of post.alerts) resolved.push({ alert: a.id, monitor: a.monitorId })
    if (post.event !== 'firing') continue
    posts++
    keys.set(post.idempotencyKey, (keys.get(post.idempotencyKey) ?? 0) + 1)
    for (const a of post.alerts) {
      alerts.set(a.id, (alerts.get(a.id) ?? 0) + 1)
      monitors.set(a.monitorId, (monitors.get(a.monitorId) ?? new Set()).add(a.id))
    }
  }
  return { alerts, monitors, keys, posts, resolved }
}

export async function runStorm(nodes: readonly ClusterNode[], leader: ClusterNode, target: Target, receiver: Receiver, spec: StormSpec): Promise<StormResult> {
  const downAt = await target.set('down')
  const threshold = Math.ceil(spec.monitors * spec.killAt)
  process.stdout.write(`  every target fails now; kill -9 once ${threshold.toLocaleString('en-US')} monitors are notified\n`)
  let allNotifiedAt = 0
  const watch = (): void => {
    if (allNotifiedAt === 0 && tally(receiver, downAt).monitors.size >= spec.monitors) allNotifiedAt = epochNow()
  }
  receiver.onPost(watch)
  for (;;) {
    const notified = tally(receiver, downAt).monitors.size
    if (notified >= threshold) break
    if (epochNow() - downAt > 3 * spec.everyMs + 60_000) throw new Error(`only ${notified} monitors notified ${(epochNow() - downAt) / 1000} s after every target failed`)
    await sleep(100)
  }
  const notifiedAtKill = tally(receiver, downAt).monitors.size
  const failover = await killAndMeasure(nodes, leader, true, target, { monitors: spec.monitors, everyMs: spec.everyMs, waitMs: spec.failoverWaitMs })
  const killAfterMs = failover.killedAt - downAt
  for (;;) {
    const since = epochNow() - failover.killedAt
    if (since >= spec.quietMs) break
    process.stdout.write(`    ${(since / 1000).toFixed(0)} s after the kill: ${tally(receiver, downAt).monitors.size.toLocaleString('en-US')} monitors notified; counting until ${spec.quietMs / 1000} s (outbox leases of the dead node expire)\n`)
    await sleep(Math.min(15_000, spec.quietMs - since))
  }
  const { alerts, monitors, keys, posts, resolved } = tally(receiver, downAt)
  const twice = [...alerts].filter(([, n]) => n > 1)
  const monitorsTwice = [...monitors].filter(([, ids]) => ids.size > 1)
  return {
    failover,
    notifiedAtKill,
    killAfterMs,
    posts,
    notices: [...alerts.values()].reduce((a, b) => a + b, 0),
    distinctAlerts: alerts.size,
    monitorsNotified: monitors.size,
    alertsTwice: twice.length,
    extraDeliveries: twice.reduce((sum, [, n]) => sum + n - 1, 0),
    monitorsTwice: monitorsTwice.length,
    keysTwice: [...keys.values()].filter((n) => n > 1).length,
    resolvedWhileDown: resolved.length,
    allNotifiedMs: allNotifiedAt === 0 ? Number.NaN : allNotifiedAt - downAt,
    samples: [
      ...twice.slice(0, 3).map(([id, n]) => `alert ${id} delivered ${n}×`),
      ...monitorsTwice.slice(0, 3).map(([m, ids]) => `monitor ${m}: alerts ${[...ids].join(', ')}`),
      ...resolved.slice(0, 3).map((r) => `resolved while still failing: ${r.alert} (${r.monitor})`)
    ]
  }
}
