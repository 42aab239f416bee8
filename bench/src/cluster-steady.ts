/**
 * One cluster size in steady state: wait until the members share the
 * monitors as rendezvous hashing says they should, let one interval pass,
 * then measure a window at the target (hits per second, duplicate and missed
 * runs) and at each node (checks/s from its /metrics, CPU, RSS).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { predictOwners } from './cluster-owners.js'
import { epochNow, getJson, waitFor } from './cluster-rig.js'
import type { ClusterNode, ClusterView, Target } from './cluster-rig.js'
import type { TargetCounters, WindowReport } from './cluster-target.js'
import { watchUsage } from './cluster-usage.js'

export interface NodeFigures {
  id: string
  leader: boolean
  /** Monitors it runs, as it reports in GET /api/v1/cluster. */
  monitors: number
  /** What rendezvous hashing over the members gives it. */
  predicted: number
  checksPerS: number
  cpuPct: number
  rssMaxBytes: number
}

export interface SteadyResult {
  nodes: number
  offeredPerS: number
  achievedPerS: number
  window: WindowReport
  perNode: NodeFigures[]
  targetCpuPct: number
  postgresCpuPct: number
  redisCpuPct: number
  machineBusyPct: number
}

export interface Settled {
  view: ClusterView
  /** When the cluster API first showed every member with its predicted share (epoch ms). */
  at: number
  /** Whether every member's count equals the prediction (false: it timed out on the sums alone). */
  exact: boolean
}

/** Waits until the members are exactly `nodes` and each runs its predicted share. */
export async function settle(nodes: readonly ClusterNode[], monitors: number, limitMs: number): Promise<Settled> {
  const ids = nodes.map((n) => n.id).sort()
  const predicted = predictOwners(monitors, ids)
  const read = async (): Promise<ClusterView | undefined> => getJson<ClusterView>(`${nodes[nodes.length - 1]!.base}/api/v1/cluster`)
  const shared = (v: ClusterView | undefined): boolean =>
    v !== undefined &&
    v.members.length === ids.length &&
    v.members.every((m) => ids.includes(m.nodeId)) &&
    v.members.reduce((sum, m) => sum + (m.monitors ?? 0), 0) === monitors &&
    v.members.every((m) => (m.monitors ?? 0) > 0)
  const exactly = (v: ClusterView | undefined): boolean => shared(v) && v!.members.every((m) => m.monitors === predicted.get(m.nodeId)?.length)
  try {
    const view = (await waitFor(read, exactly, `${ids.length} members running their predicted shares`, limitMs)) as ClusterView
    return { view, at: epochNow(), exact: true }
  } catch (err) {
    // The sums may be right while the prediction is not (a change in core's hashing): say so, carry on.
    const view = await read()
    if (!shared(view)) throw err
    process.stdout.write(`  ! member counts ${view!.members.map((m) => `${m.nodeId}=${m.monitors}`).join(' ')} differ from the bench's rendezvous prediction\n`)
    return { view: view!, at: epochNow(), exact: false }
  }
}

export function diffCounters(a: TargetCounters, b: TargetCounters): TargetCounters {
  return {
    at: b.at,
    hits: b.hits - a.hits,
    duplicates: b.duplicates - a.duplicates,
    missed: b.missed - a.missed,
    duplicateSamples: b.duplicateSamples.slice(a.duplicateSamples.length)
  }
}

export interface MeasureSpec {
  monitors: number
  everyMs: number
  windowS: number
}

export async function measureSteady(nodes: readonly ClusterNode[], target: Target, spec: MeasureSpec): Promise<SteadyResult> {
  const usage = watchUsage([...nodes.map((n) => n.pid), target.pid])
  const checks0 = await Promise.all(nodes.map((n) => n.checksTotal()))
  await target.windowStart()
  await sleep(spec.windowS * 1000)
  const window = await target.windowStop()
  const checks1 = await Promise.all(nodes.map((n) => n.checksTotal()))
  const used = usage.stop()
  const view = await getJson<ClusterView>(`${nodes[0]!.base}/api/v1/cluster`)
  const predicted = predictOwners(spec.monitors, nodes.map((n) => n.id))
  const seconds = (window.end - window.start) / 1000
  return {
    nodes: nodes.length,
    offeredPerS: spec.monitors / (spec.everyMs / 1000),
    achievedPerS: window.hits / seconds,
    window,
    perNode: nodes.map((n, i) => {
      const member = view?.members.find((m) => m.nodeId === n.id)
      const p = used.processes.get(n.pid)
      return {
        id: n.id,
        leader: member?.leader ?? false,
        monitors: member?.monitors ?? Number.NaN,
        predicted: predicted.get(n.id)?.length ?? Number.NaN,
        checksPerS: ((checks1[i] as number) - (checks0[i] as number)) / used.seconds,
        cpuPct: p?.cpuPct ?? Number.NaN,
        rssMaxBytes: p?.rssMaxBytes ?? Number.NaN
      }
    }),
    targetCpuPct: used.processes.get(target.pid)?.cpuPct ?? Number.NaN,
    postgresCpuPct: used.postgresCpuPct,
    redisCpuPct: used.redisCpuPct,
    machineBusyPct: used.machineBusyPct
  }
}
