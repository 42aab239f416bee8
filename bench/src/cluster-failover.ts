/**
 * kill -9 one node and measure, at the target, how long its monitors went
 * unchecked. A monitor taken over runs at its next slot (interval monitors
 * keep their hash-shifted grid), so "every orphan hit again" is at most the
 * takeover time plus one interval by construction; the takeover itself is
 * read from the slots: the last slot of an orphan that nobody ran is a lower
 * bound, the first slot run after it an upper bound (thousands of orphans
 * spread over the interval make the two a few ms apart). The survivors'
 * logs ("monitors rebalanced", with the orphans) say when they noticed.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { predictOwners } from './cluster-owners.js'
import { epochNow } from './cluster-rig.js'
import type { ClusterNode, Target } from './cluster-rig.js'
import { diffCounters } from './cluster-steady.js'
import type { MarkReport, TargetCounters } from './cluster-target.js'

export interface FailoverResult {
  killed: string
  wasLeader: boolean
  membersBefore: number
  orphans: number
  killedAt: number
  /** Per survivor: ms from the kill to its log line taking the orphans over. */
  noticedMs: Array<{ id: string; ms: number | undefined; orphaned: number }>
  /** The last orphan slot nobody ran, after the kill (lower bound of the takeover). */
  lastMissedSlotMs: number
  /** The first orphan slot run after that one (upper bound of the takeover). */
  firstRunAfterMs: number
  /** Until every orphan was checked again. */
  allOrphansHitMs: number
  /** Orphans never checked again within the wait. */
  notResumed: number
  orphanMissedSlots: number
  /** Slots of the survivors' own monitors nobody ran (should be 0). */
  survivorMissedSlots: number
  /** The longest an orphan went without a check beyond its interval. */
  worstExtraGapMs: number
  phase: TargetCounters
}

/** Slots between two hits that nobody ran. */
const missedBetween = (b: number, a: number, everyMs: number): number => (b > 0 && a > b ? Math.max(0, Math.round((a - b) / everyMs) - 1) : 0)

export async function killAndMeasure(
  nodes: readonly ClusterNode[],
  victim: ClusterNode,
  wasLeader: boolean,
  target: Target,
  spec: { monitors: number; everyMs: number; waitMs: number }
): Promise<FailoverResult> {
  const owners = predictOwners(spec.monitors, nodes.map((n) => n.id))
  const orphans = owners.get(victim.id) ?? []
  const isOrphan = new Uint8Array(spec.monitors)
  for (const i of orphans) isOrphan[i] = 1
  const c0 = await target.counters()
  await target.mark()
  const killedAt = victim.kill9()
  process.stdout.write(`  kill -9 ${victim.id}${wasLeader ? ' (the leader)' : ''} at ${new Date(killedAt).toISOString()}: ${orphans.length} monitors orphaned\n`)

  // Until every orphan ran again, and at least two intervals, so the survivors' own monitors are judged too.
  let report: MarkReport
  for (;;) {
    await sleep(1000)
    report = await target.sinceMark()
    const waiting = orphans.filter((i) => report.after[i] === 0).length
    const elapsed = epochNow() - killedAt
    if (waiting === 0 && elapsed > 2 * spec.everyMs) break
    if (elapsed > spec.waitMs) break
    if (waiting > 0 && Math.round(elapsed / 1000) % 5 === 0) process.stdout.write(`    ${(elapsed / 1000).toFixed(0)} s after the kill: ${waiting} orphans not checked again yet\n`)
  }
  const c1 = await target.counters()

  let lastMissed = 0
  let orphanMissed = 0
  let survivorMissed = 0
  let allHit = 0
  let notResumed = 0
  let worstGap = 0
  for (let i = 0; i < spec.monitors; i++) {
    const b = report.before[i] as number
    const a = report.after[i] as number
    if (isOrphan[i] === 0) {
      survivorMissed += missedBetween(b, a, spec.everyMs)
      continue
    }
    if (a === 0) {
      notResumed++
      continue
    }
    allHit = Math.max(allHit, a)
    worstGap = Math.max(worstGap, a - b - spec.everyMs)
    const missed = missedBetween(b, a, spec.everyMs)
    orphanMissed += missed
    if (missed > 0) lastMissed = Math.max(lastMissed, b + missed * spec.everyMs)
  }
  let firstAfter = Number.POSITIVE_INFINITY
  for (const i of orphans) {
    const a = report.after[i] as number
    if (a > lastMissed && a < firstAfter) firstAfter = a
  }

  const noticedMs = nodes
    .filter((n) => n !== victim)
    .map((n) => {
      const line = n.logLines().find((l) => l.msg === 'monitors rebalanced across the cluster' && Number(l.time) >= killedAt && Number(l.orphaned) > 0)
      return { id: n.id, ms: line === undefined ? undefined : Number(line.time) - killedAt, orphaned: Number(line?.orphaned ?? 0) }
    })
  return {
    killed: victim.id,
    wasLeader,
    membersBefore: nodes.length,
    orphans: orphans.length,
    killedAt,
    noticedMs,
    lastMissedSlotMs: lastMissed === 0 ? 0 : lastMissed - killedAt,
    firstRunAfterMs: Number.isFinite(firstAfter) ? firstAfter - killedAt : Number.NaN,
    allOrphansHitMs: allHit === 0 ? Number.NaN : allHit - killedAt,
    notResumed,
    orphanMissedSlots: orphanMissed,
    survivorMissedSlots: survivorMissed,
    worstExtraGapMs: worstGap,
    phase: diffCounters(c0, c1)
  }
}
