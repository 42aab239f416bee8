/**
 * Latency phase of the alerts bench: every monitor up, then one at a time
 * (every `spacingMs`) a monitor's target goes down; once its firing notice
 * reached the receiver it comes back up, and its resolved notice follows.
 * Each alert's latency runs from the end of the check run that crossed the
 * threshold to the receiver having the POST that carried it.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Crossings, deliveries, duplicateKeys, tallyPosts, tallyStore, waitUntil } from './alerts-observe.js'
import type { Delivery, PostTally, StoreTally } from './alerts-observe.js'
import { epochNow, monitorIndex, startEngine, startReceiver, startTarget } from './alerts-rig.js'
import { machineJiffies } from './process-stats.js'
import type { EngineSpec } from './alerts-rig.js'

export interface LatencySpec extends Omit<EngineSpec, 'targetPort' | 'receiverPort'> {
  spacingMs: number
  /** How many monitors go down (the first ones); all by default. */
  alerts: number
}

export interface LatencyFigures {
  fired: Delivery[]
  resolved: Delivery[]
  /** POSTs for alerts whose crossing result the bench never saw. */
  unmatched: number
  firingPosts: PostTally
  resolvedPosts: PostTally
  duplicateKeys: number
  crossed: number
  store: StoreTally
  /** From the first flip to the last resolved notice. */
  phaseS: number
  warmupS: number
  /** How busy the whole machine was during the phase, %. */
  machineBusy: number
}

export async function runLatency(spec: LatencySpec): Promise<LatencyFigures> {
  const target = await startTarget(spec.monitors)
  const receiver = await startReceiver()
  const rig = await startEngine({ ...spec, targetPort: target.port, receiverPort: receiver.port })
  const crossings = new Crossings(spec.threshold)
  const detach = crossings.attach(rig.engine)
  try {
    const w0 = Date.now()
    if (!(await waitUntil(() => crossings.up.size >= spec.monitors, 120_000))) throw new Error(`only ${crossings.up.size} of ${spec.monitors} monitors came up within 2 minutes`)
    await sleep(spec.everyMs) // one more interval: every monitor's connection is open
    const warmupS = (Date.now() - w0) / 1000

    const firing = new Set<string>()
    const resolved = new Set<string>()
    receiver.onPost((post) => {
      const set = post.event === 'firing' ? firing : post.event === 'resolved' ? resolved : undefined
      for (const a of post.alerts) set?.add(a.monitorId)
      // Back up as soon as the notice is out, so the resolve path is measured too.
      if (post.event === 'firing') void target.set('up', post.alerts.map((a) => monitorIndex(a.monitorId)))
    })

    const t0 = epochNow()
    const j0 = machineJiffies()
    process.stderr.write(`  [latency] taking ${spec.alerts} monitors down one every ${spec.spacingMs} ms\n`)
    for (let i = 0; i < spec.alerts; i++) {
      const wait = t0 + i * spec.spacingMs - epochNow()
      if (wait > 0) await sleep(wait)
      void target.set('down', [i])
      if (i > 0 && i % 200 === 0) process.stderr.write(`  [latency] ${i} down so far, ${firing.size} fired, ${resolved.size} resolved\n`)
    }
    const limit = 30_000 + 4 * spec.everyMs * (spec.threshold + 1)
    await waitUntil(() => resolved.size >= spec.alerts, limit)
    const phaseS = (epochNow() - t0) / 1000
    const j1 = machineJiffies()
    await sleep(2000) // late duplicates, if any, arrive here
    const store = await tallyStore(rig.engine)
    const f = deliveries(receiver.posts, 'firing', crossings)
    const r = deliveries(receiver.posts, 'resolved', crossings)
    return {
      fired: f.list,
      resolved: r.list,
      unmatched: f.unmatched + r.unmatched,
      firingPosts: tallyPosts(receiver.posts, 'firing'),
      resolvedPosts: tallyPosts(receiver.posts, 'resolved'),
      duplicateKeys: duplicateKeys(receiver.posts),
      crossed: crossings.count(crossings.fired),
      store,
      phaseS,
      warmupS,
      machineBusy: ((j1.busy - j0.busy) / (j1.total - j0.total)) * 100
    }
  } finally {
    detach()
    await rig.stop()
    target.stop()
    receiver.stop()
  }
}
