/**
 * Storm phase of the alerts bench: the default group window (3s), every
 * monitor up, a paced API client polling status in its own process; after a
 * quiet spell every target goes down at once, then (after a hold) every one
 * comes back. Counts what was recorded and delivered, and how the API, the
 * event loop and the scheduler fared in each window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Crossings, deliveries, duplicateKeys, tallyPosts, tallyStore, waitUntil } from './alerts-observe.js'
import type { Delivery, PostTally, StoreTally } from './alerts-observe.js'
import { epochNow, startApiLoad, startEngine, startReceiver, startTarget } from './alerts-rig.js'
import type { EngineSpec } from './alerts-rig.js'
import type { ApiSamples } from './alerts-api-load.js'
import type { ReceivedPost } from './alerts-receiver.js'
import { machineJiffies } from './process-stats.js'
import { percentiles } from './stats.js'

export interface StormSpec extends Omit<EngineSpec, 'targetPort' | 'receiverPort'> {
  apiRate: number
  apiConcurrency: number
  quietS: number
  holdS: number
}

/** A stretch of the phase, epoch ms. */
export interface Window {
  name: string
  from: number
  to: number
  /** Event-loop delay of the engine's process (p99, max), ms. */
  loop: { p99: number; max: number }
  /** Schedule lags of runs due in the window, ms. */
  lags: number[]
  /** How busy the whole machine was, %. */
  machineBusy: number
}

export interface StormFigures {
  flipAt: number
  upAt: number
  allFired: boolean
  allResolved: boolean
  /** Monitors whose results crossed the threshold, and the first and last crossing (after the flip). */
  crossed: number
  firstCrossingMs: number
  lastCrossingMs: number
  fired: Delivery[]
  resolved: Delivery[]
  unmatched: number
  firingPosts: PostTally
  resolvedPosts: PostTally
  /** Receiver times of the firing / resolved POSTs, ms after the flip down / up. */
  firingPostMs: number[]
  resolvedPostMs: number[]
  duplicateKeys: number
  store: StoreTally
  windows: Window[]
  api: ApiSamples
  posts: ReceivedPost[]
}

export async function runStorm(spec: StormSpec): Promise<StormFigures> {
  const target = await startTarget(spec.monitors)
  const receiver = await startReceiver()
  const rig = await startEngine({ ...spec, targetPort: target.port, receiverPort: receiver.port })
  const crossings = new Crossings(spec.threshold)
  const detach = crossings.attach(rig.engine)
  const lags: Array<[number, number]> = []
  const stopLags = rig.engine.onScheduleLag((l) => lags.push([epochNow(), l]))
  const loop = monitorEventLoopDelay({ resolution: 5 })
  try {
    if (!(await waitUntil(() => crossings.up.size >= spec.monitors, 120_000))) throw new Error(`only ${crossings.up.size} of ${spec.monitors} monitors came up within 2 minutes`)
    await sleep(spec.everyMs)
    const firing = new Set<string>()
    const resolved = new Set<string>()
    receiver.onPost((post) => {
      const set = post.event === 'firing' ? firing : post.event === 'resolved' ? resolved : undefined
      for (const a of post.alerts) set?.add(a.monitorId)
    })

    const windows: Window[] = []
    let jiffies = machineJiffies()
    const close = (name: string, from: number): void => {
      const to = epochNow()
      const j = machineJiffies()
      windows.push({
        name,
        from,
        to,
        loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
        lags: lags.filter(([at]) => at >= from && at < to).map(([, l]) => l),
        machineBusy: ((j.busy - jiffies.busy) / (j.total - jiffies.total)) * 100
      })
      jiffies = j
      loop.reset()
    }
    const api = await startApiLoad(rig.base, spec.monitors, spec.apiRate, spec.apiConcurrency)
    const quietFrom = epochNow()
    jiffies = machineJiffies()
    loop.enable()
    process.stderr.write(`  [storm] API client at ${spec.apiRate} req/s; quiet for ${spec.quietS} s\n`)
    await sleep(spec.quietS * 1000)
    close('quiet (all up)', quietFrom)

    const flipAt = epochNow()
    await target.set('down', 'all')
    process.stderr.write(`  [storm] all ${spec.monitors} targets down\n`)
    const allFired = await waitUntil(() => firing.size >= spec.monitors, 120_000)
    close('firing storm (flip → all delivered)', flipAt)
    const holdFrom = epochNow()
    await sleep(spec.holdS * 1000)
    close('all down, held', holdFrom)

    const upAt = epochNow()
    await target.set('up', 'all')
    process.stderr.write(`  [storm] ${firing.size} fired; all targets up again\n`)
    const allResolved = await waitUntil(() => resolved.size >= spec.monitors, 120_000)
    close('resolving storm (flip → all delivered)', upAt)
    const settleFrom = epochNow()
    await sleep(3000) // late duplicates, if any, arrive here
    close('settled', settleFrom)
    loop.disable()
    const samples = await api.stop()
    const store = await tallyStore(rig.engine)

    const f = deliveries(receiver.posts, 'firing', crossings)
    const r = deliveries(receiver.posts, 'resolved', crossings)
    const ends = [...crossings.fired.values()].flat().map((c) => c.end - flipAt).filter((ms) => ms >= 0)
    const [first, last] = ends.length === 0 ? [Number.NaN, Number.NaN] : percentiles(ends, [0, 100])
    return {
      flipAt,
      upAt,
      allFired,
      allResolved,
      crossed: crossings.fired.size,
      firstCrossingMs: first ?? Number.NaN,
      lastCrossingMs: last ?? Number.NaN,
      fired: f.list,
      resolved: r.list,
      unmatched: f.unmatched + r.unmatched,
      firingPosts: tallyPosts(receiver.posts, 'firing'),
      resolvedPosts: tallyPosts(receiver.posts, 'resolved'),
      firingPostMs: receiver.posts.filter((p) => p.event === 'firing').map((p) => p.at - flipAt),
      resolvedPostMs: receiver.posts.filter((p) => p.event === 'resolved').map((p) => p.at - upAt),
      duplicateKeys: duplicateKeys(receiver.posts),
      store,
      windows,
      api: samples,
      posts: receiver.posts
    }
  } finally {
    loop.disable()
    stopLags()
    detach()
    await rig.stop()
    target.stop()
    receiver.stop()
  }
}
