/**
 * `npm run bench -- cluster`: 1, 2 and 3 nodes on this machine sharing
 * PostgreSQL and Redis (issue #6).
 *
 * Every node is `vedette start` in its own process, from one config file
 * (PostgreSQL storage in a fresh schema, Redis coordination under a fresh
 * prefix, `nodeId: ${NODE_ID}`), with N keep-alive HTTP monitors against a
 * target in its own process that judges every hit (duplicate and missed
 * runs), and one `consecutive` rule to a webhook receiver in its own process.
 *
 * 1. Nodes join one at a time; at each size, once every member runs the
 *    share rendezvous hashing gives it and one interval has passed, a window
 *    is measured: checks/s at the target, duplicate and missed runs, and per
 *    node its checks/s, CPU and RSS.
 * 2. kill -9 of a node that does not lead: how long its monitors go unchecked.
 * 3. Every target fails at once (or the first `--storm-failing`); during the
 *    alert storm the leader is killed with -9; the firing notices are counted
 *    per alert, monitor and key, and the store is read for what was left.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startReceiver } from './alerts-rig.js'
import type { Receiver } from './alerts-rig.js'
import { diagnoseStore, printDiagnosis } from './cluster-diagnose.js'
import type { StoreDiagnosis } from './cluster-diagnose.js'
import { killAndMeasure } from './cluster-failover.js'
import type { FailoverResult } from './cluster-failover.js'
import { printFailover, printSteady, printStorm, printVerdicts } from './cluster-report.js'
import type { JoinFigures } from './cluster-report.js'
import { getJson, isolation, startNode, startTarget, writeConfig } from './cluster-rig.js'
import type { ClusterNode, ClusterView, Target } from './cluster-rig.js'
import { diffCounters, measureSteady, settle } from './cluster-steady.js'
import type { SteadyResult } from './cluster-steady.js'
import { runStorm } from './cluster-storm.js'
import type { StormResult } from './cluster-storm.js'
import { fmt } from './stats.js'

interface ClusterOptions {
  monitors: number
  everyMs: number
  nodes: number
  windowS: number
  workers: number
  killAt: number
  quietS: number
  /** Monitors whose target fails in the storm (the first ones). */
  stormFailing: number
  phases: Array<'failover' | 'storm'>
}

function parseArgs(args: string[]): ClusterOptions {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const number = (flag: string, fallback: number, min = 0): number => {
    const text = get(flag)
    const n = text === undefined ? fallback : Number(text)
    if (!Number.isFinite(n) || n <= min) throw new Error(`${flag}: expected a number above ${min}, got '${text}'`)
    return n
  }
  const interval = get('--interval') ?? '30s'
  const m = /^(\d+(?:\.\d+)?)s$/.exec(interval)
  if (!m || Number(m[1]) < 1) throw new Error(`--interval: expected seconds like 30s, got '${interval}'`)
  const everyMs = Number(m[1]) * 1000
  const nodes = number('--nodes', 3)
  if (!Number.isInteger(nodes) || nodes > 26) throw new Error('--nodes: 1 to 26')
  const monitors = Math.floor(number('--monitors', 20_000))
  return {
    monitors,
    everyMs,
    nodes,
    windowS: number('--window', (2 * everyMs) / 1000),
    workers: Math.floor(number('--workers', 1)),
    killAt: number('--kill-at', 0.25),
    quietS: number('--quiet', 150),
    stormFailing: Math.min(monitors, Math.floor(number('--storm-failing', monitors))),
    phases: phases(get('--phases') ?? 'failover,storm')
  }
}

/** After the scaling phase (always): `failover`, `storm`, both, or `none`. */
function phases(text: string): Array<'failover' | 'storm'> {
  if (text === 'none') return []
  const list = text.split(',').map((p) => p.trim())
  if (list.some((p) => p !== 'failover' && p !== 'storm')) throw new Error(`--phases: failover, storm, both (failover,storm) or none; got '${text}'`)
  return list as Array<'failover' | 'storm'>
}

const say = (line: string): void => void process.stdout.write(`${line}\n`)

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args)
  say(
    `cluster: ${o.monitors.toLocaleString('en-US')} HTTP monitors every ${o.everyMs / 1000} s (${fmt(o.monitors / (o.everyMs / 1000), 0)} checks/s offered), ` +
      `1 to ${o.nodes} nodes (engine.workers ${o.workers} each), ${o.windowS} s measured per size, PostgreSQL + Redis on this machine`
  )
  const iso = isolation()
  const dir = mkdtempSync(join(tmpdir(), 'vedette-cluster-bench-'))
  let target: Target | undefined
  let receiver: Receiver | undefined
  const nodes: ClusterNode[] = []
  const rows: Array<{ steady: SteadyResult; join: JoinFigures }> = []
  const failovers: FailoverResult[] = []
  let storm: StormResult | undefined
  let diagnosis: StoreDiagnosis | undefined
  try {
    target = await startTarget(o.monitors, o.everyMs)
    receiver = await startReceiver()
    const config = writeConfig({ dir, monitors: o.monitors, everyMs: o.everyMs, workers: o.workers, targetPort: target.port, receiverPort: receiver.port, schema: iso.schema, prefix: iso.prefix })
    say(`schema ${iso.schema}, Redis prefix ${iso.prefix}, node logs in ${dir}`)

    // 1. Grow the cluster one node at a time; measure each size.
    for (let k = 0; k < o.nodes; k++) {
      const id = String.fromCharCode(97 + k)
      const c0 = await target.counters()
      say(`\n[${k + 1} node${k > 0 ? 's' : ''}] starting node ${id} (${o.monitors.toLocaleString('en-US')} monitors in its config)…`)
      const node = await startNode(id, config, dir)
      nodes.push(node)
      say(`  ${id} ready after ${fmt(node.readyS, 1)} s`)
      const settled = await settle(nodes, o.monitors, 180_000)
      const sharedAfterS = (settled.at - node.spawnedAt) / 1000
      say(`  every member runs its share after ${fmt(sharedAfterS, 1)} s: ${settled.view.members.map((m) => `${m.nodeId}=${m.monitors}`).join(' ')}; warming up ${o.everyMs / 1000} s`)
      await sleep(o.everyMs)
      const join: JoinFigures = { node: id, readyS: node.readyS, sharedAfterS, exact: settled.exact, phase: diffCounters(c0, await target.counters()) }
      say(`  measuring ${o.windowS} s…`)
      const steady = await measureSteady(nodes, target, { monitors: o.monitors, everyMs: o.everyMs, windowS: o.windowS })
      say(`  ${fmt(steady.achievedPerS, 1)} checks/s at the target; ${steady.window.duplicates} duplicate, ${steady.window.missed} missed runs`)
      rows.push({ steady, join })
    }

    // 2. kill -9 a node that does not lead.
    const failoverWaitMs = 5000 + 2 * o.everyMs + 60_000
    const leaderOf = async (alive: readonly ClusterNode[]): Promise<ClusterNode | undefined> => {
      const view = await getJson<ClusterView>(`${alive[0]!.base}/api/v1/cluster`)
      return alive.find((n) => n.id === view?.leader)
    }
    let alive = [...nodes]
    if (o.phases.includes('failover') && alive.length >= 3) {
      const leader = await leaderOf(alive)
      const victim = [...alive].reverse().find((n) => n !== leader) as ClusterNode
      say(`\n[failover] ${alive.length} nodes, leader ${leader?.id ?? 'unknown'}`)
      failovers.push(await killAndMeasure(alive, victim, false, target, { monitors: o.monitors, everyMs: o.everyMs, waitMs: failoverWaitMs }))
      alive = alive.filter((n) => n !== victim)
      const settled = await settle(alive, o.monitors, 60_000)
      say(`  survivors: ${settled.view.members.map((m) => `${m.nodeId}=${m.monitors}`).join(' ')}`)
    }

    // 3. Alert storm, and kill -9 of the leader during it.
    if (o.phases.includes('storm') && alive.length >= 2) {
      const leader = (await leaderOf(alive)) ?? alive[0]!
      say(`\n[storm] ${alive.length} nodes, killing the leader ${leader.id} during the storm`)
      storm = await runStorm(alive, leader, target, receiver, {
        monitors: o.monitors,
        failing: o.stormFailing,
        everyMs: o.everyMs,
        killAt: o.killAt,
        quietMs: o.quietS * 1000,
        failoverWaitMs
      })
      failovers.push(storm.failover)
      alive = alive.filter((n) => n !== leader)
      diagnosis = await diagnoseStore(iso.schema).catch((err: Error) => (say(`  reading the store failed: ${err.message}`), undefined))
    }

    const total = await target.counters()
    printSteady(rows)
    if (failovers.length > 0) printFailover(failovers, failovers.map((f) => f === storm?.failover))
    if (storm !== undefined) printStorm(storm)
    if (diagnosis !== undefined) printDiagnosis(diagnosis, o.monitors)
    printVerdicts(rows, failovers, storm, total)
    printNodeLogs(nodes)
  } finally {
    await Promise.all(nodes.map((n) => n.stop()))
    target?.stop()
    receiver?.stop()
    await iso.cleanup().catch((err: Error) => say(`cleanup of ${iso.schema} / ${iso.prefix} failed: ${err.message}`))
    // The node logs stay (they are the evidence when a figure is off); data dirs and the config go.
    for (const f of readdirSync(dir)) if (!f.endsWith('.log')) rmSync(join(dir, f), { recursive: true, force: true })
    say(`node logs kept in ${dir}`)
  }
}

/** What the nodes logged at warn or above (grouped), and every change of the member list each one saw. */
function printNodeLogs(nodes: readonly ClusterNode[]): void {
  console.log('\nNode logs, warn and above (count × message), and the member lists each node saw:')
  for (const n of nodes) {
    const counts = new Map<string, number>()
    const members: string[] = []
    for (const l of n.logLines()) {
      if (Number(l.level) >= 40) counts.set(String(l.msg), (counts.get(String(l.msg)) ?? 0) + 1)
      if (typeof l.msg === 'string' && l.msg.startsWith('cluster members:') && Array.isArray(l.members)) members.push(`${new Date(Number(l.time)).toISOString().slice(11, 23)} [${l.members.join(',')}]`)
    }
    const lines = [...counts].map(([msg, c]) => `${c} × ${msg}`)
    console.log(`  ${n.id}: ${lines.length === 0 ? 'none' : lines.slice(0, 10).join(' | ')}`)
    console.log(`     members: ${members.join(' → ')}`)
  }
}
