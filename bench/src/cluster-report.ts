/** Prints the cluster bench's tables and its verdicts against the issue's targets. */
import type { FailoverResult } from './cluster-failover.js'
import type { SteadyResult } from './cluster-steady.js'
import type { StormResult } from './cluster-storm.js'
import type { TargetCounters } from './cluster-target.js'
import { fmt } from './stats.js'

export interface JoinFigures {
  node: string
  readyS: number
  /** From the node's spawn until every member ran its predicted share. */
  sharedAfterS: number
  exact: boolean
  /** Duplicate and missed runs from the spawn to the end of the warm-up. */
  phase: TargetCounters
}

const pct = (n: number): string => `${fmt(n, 0)} %`
const mib = (n: number): string => `${fmt(n / 2 ** 20, 0)} MiB`
const s = (ms: number): string => `${fmt(ms / 1000, 1)} s`
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')

export function printSteady(rows: ReadonlyArray<{ steady: SteadyResult; join: JoinFigures }>): void {
  console.log('\nScaling (target-side window after one interval of warm-up):')
  console.log('| nodes | offered | achieved checks/s | duplicate runs | missed runs | per node: monitors · checks/s · CPU · RSS max | PostgreSQL CPU | Redis CPU | target CPU | machine busy |')
  console.log('|---|---|---|---|---|---|---|---|---|---|')
  for (const { steady: r } of rows) {
    const perNode = r.perNode.map((n) => `${n.id}${n.leader ? '*' : ''}: ${n.monitors.toLocaleString('en-US')} · ${fmt(n.checksPerS, 0)} · ${pct(n.cpuPct)} · ${mib(n.rssMaxBytes)}`).join('; ')
    console.log(
      `| ${r.nodes} | ${fmt(r.offeredPerS, 0)} | ${fmt(r.achievedPerS, 1)} | ${r.window.duplicates} | ${r.window.missed} | ${perNode} | ${pct(r.postgresCpuPct)} | ${pct(r.redisCpuPct)} | ${pct(r.targetCpuPct)} | ${pct(r.machineBusyPct)} |`
    )
  }
  console.log('(* the leader; CPU in % of one core, all threads of the process; PostgreSQL and Redis: all their processes on the machine)')
  console.log('\nJoins (a node started into the running cluster):')
  console.log('| node | ready after | all members at their share after | duplicate runs | missed runs |')
  console.log('|---|---|---|---|---|')
  for (const { join: j } of rows) {
    console.log(`| ${j.node} | ${fmt(j.readyS, 1)} s | ${fmt(j.sharedAfterS, 1)} s${j.exact ? '' : ' (counts ≠ prediction)'} | ${j.phase.duplicates} | ${j.phase.missed} |`)
  }
}

export function printFailover(results: readonly FailoverResult[], storm: boolean[]): void {
  console.log('\nFailover after kill -9 (target: takeover < 10 s, no duplicate run):')
  console.log('| kill | members | orphaned | survivors noticed (log) | takeover: last missed slot … first run after | every orphan checked again | orphan slots missed | survivors\' slots missed | duplicate runs | < 10 s |')
  console.log('|---|---|---|---|---|---|---|---|---|---|')
  results.forEach((f, i) => {
    const noticed = f.noticedMs.map((n) => `${n.id} ${n.ms === undefined ? 'not seen' : s(n.ms)}`).join(', ')
    const ok = f.notResumed === 0 && f.firstRunAfterMs < 10_000 && f.noticedMs.every((n) => n.ms !== undefined && n.ms < 10_000)
    console.log(
      `| ${f.killed}${f.wasLeader ? ' (leader)' : ''}${storm[i] ? ', during the storm' : ''} | ${f.membersBefore} → ${f.membersBefore - 1} | ${f.orphans.toLocaleString('en-US')} | ${noticed} | ${s(f.lastMissedSlotMs)} … ${s(f.firstRunAfterMs)} | ${s(f.allOrphansHitMs)}${f.notResumed > 0 ? ` (${f.notResumed} never)` : ''} | ${f.orphanMissedSlots.toLocaleString('en-US')} | ${f.survivorMissedSlots} | ${f.phase.duplicates} | ${verdict(ok)} |`
    )
    for (const d of f.phase.duplicateSamples.slice(0, 5)) console.log(`    duplicate: m${d.monitor} hit twice ${d.gapMs} ms apart at ${new Date(d.at).toISOString()}`)
  })
}

export function printStorm(r: StormResult): void {
  console.log(`\nAlert storm (${r.failing.toLocaleString('en-US')} targets failing at once), kill -9 of the leader during it (target: 0 duplicate notifications):`)
  console.log('| notified at the kill | kill after | firing POSTs | notices | distinct alerts | monitors notified | all notified after | alerts delivered twice | monitors with 2 alerts | idempotency keys twice | resolved while failing | 0 duplicates |')
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|')
  const ok = r.alertsTwice === 0 && r.monitorsTwice === 0 && r.keysTwice === 0
  const again = r.alertsTwice === 0 ? '0' : `${r.alertsTwice.toLocaleString('en-US')} (2nd after p50 ${fmt(r.redeliveryS[0], 0)} s, max ${fmt(r.redeliveryS[1], 0)} s)`
  console.log(
    `| ${r.notifiedAtKill.toLocaleString('en-US')} | ${s(r.killAfterMs)} | ${r.posts} | ${r.notices.toLocaleString('en-US')} | ${r.distinctAlerts.toLocaleString('en-US')} | ${r.monitorsNotified.toLocaleString('en-US')} of ${r.failing.toLocaleString('en-US')} | ${s(r.allNotifiedMs)} | ${again} | ${r.monitorsTwice.toLocaleString('en-US')} | ${r.keysTwice} | ${r.resolvedWhileDown.toLocaleString('en-US')} | ${verdict(ok)} |`
  )
  console.log(`  duplicate runs at the target: ${r.beforeKill.duplicates} from the failure to the kill, ${r.failover.phase.duplicates} in the failover window, ${r.afterFailover.duplicates} after it`)
  for (const line of r.samples) console.log(`    ${line}`)
}

export function printVerdicts(rows: ReadonlyArray<{ steady: SteadyResult; join: JoinFigures }>, failovers: readonly FailoverResult[], storm: StormResult | undefined, total: TargetCounters): void {
  console.log('\nVerdicts:')
  const allShared = rows.every((r) => r.steady.achievedPerS >= r.steady.offeredPerS * 0.99 && r.steady.window.missed === 0)
  console.log(`  every offered check ran at every cluster size (achieved ≥ 99 % of offered, no missed slot): ${verdict(allShared)}`)
  for (const f of failovers) {
    console.log(`  failover after kill -9 of ${f.killed}: takeover ≤ ${s(f.firstRunAfterMs)} (< 10 s): ${verdict(f.notResumed === 0 && f.firstRunAfterMs < 10_000)}`)
  }
  console.log(`  duplicate runs over the whole run (a monitor hit twice within half an interval): ${total.duplicates} — ${verdict(total.duplicates === 0)}`)
  for (const d of total.duplicateSamples.slice(0, 5)) console.log(`    m${d.monitor} hit twice ${d.gapMs} ms apart at ${new Date(d.at).toISOString()}`)
  if (storm !== undefined) {
    console.log(`  duplicate notifications in the storm: ${storm.extraDeliveries} extra deliveries, ${storm.monitorsTwice} monitors alerted twice — ${verdict(storm.alertsTwice === 0 && storm.monitorsTwice === 0 && storm.keysTwice === 0)}`)
    console.log(`  every failing monitor notified despite the kill: ${storm.monitorsNotified.toLocaleString('en-US')} of ${storm.failing.toLocaleString('en-US')} — ${verdict(storm.monitorsNotified === storm.failing)}`)
  }
}
