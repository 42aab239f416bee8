/**
 * The alerts bench's tables (markdown, as docs/benchmarks.md shows them) and
 * verdicts. Each print function returns false when a verdict is FAIL.
 */
import type { AlertsOptions } from './alerts-bench.js'
import type { LatencyFigures } from './alerts-latency.js'
import type { Delivery, PostTally, StoreTally } from './alerts-observe.js'
import type { StormFigures } from './alerts-storm.js'
import { fmt, percentiles } from './stats.js'

/** The issue's bound on alert latency, ms (p99). */
export const LATENCY_TARGET_MS = 100

/** The API bound the storm is judged against: the mission's API target (p95 < 100 ms), applied to p99. */
const API_TARGET_MS = 100

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
const ms = (n: number | undefined): string => fmt(n ?? Number.NaN, 1)

function spread(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const [p50, p95, p99, max] = percentiles([...values], [50, 95, 99, 100])
  return { p50: p50 ?? Number.NaN, p95: p95 ?? Number.NaN, p99: p99 ?? Number.NaN, max: max ?? Number.NaN }
}

function latencyRow(storage: string, what: string, list: Delivery[], expected: number): string {
  const s = spread(list.map((d) => d.totalMs))
  const groups = spread(list.map((d) => d.groupSize))
  return `| ${storage} | ${what} | ${list.length} / ${expected} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${fmt(groups.p50, 0)} / ${fmt(groups.max, 0)} |`
}

function posts(t: PostTally): string {
  return `${t.posts} POSTs carrying ${t.carried} alerts (${t.distinctAlerts} distinct, ${t.distinctMonitors} monitors; ${t.duplicateAlerts} repeated, ${t.monitorsAlertedTwice} monitors with two alert ids)`
}

function stored(s: StoreTally): string {
  const states = (r: Record<string, number>): string => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
  return `${s.alerts} alerts stored (${states(s.byStatus)}; ${s.keysWithSeveral} rule/monitor keys with more than one); outbox ${s.outbox} items (${states(s.outboxByState)}; ${s.retried} needed a retry)`
}

export function printLatency(storage: string, o: AlertsOptions, f: LatencyFigures): boolean {
  const firing = spread(f.fired.map((d) => d.totalMs))
  const n = Math.min(o.alerts, o.monitors)
  const pass = f.fired.length === n && firing.p99 < LATENCY_TARGET_MS
  const clean = f.firingPosts.duplicateAlerts === 0 && f.resolvedPosts.duplicateAlerts === 0 && f.duplicateKeys === 0 && f.store.keysWithSeveral === 0
  const opened = (d: Delivery): number => f.store.openedAt.get(d.alertId) ?? Number.NaN
  const part = (values: number[]): string => {
    const s = spread(values)
    return `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`
  }
  console.log(`warm-up ${fmt(f.warmupS, 1)} s; phase ${fmt(f.phaseS, 1)} s from the first monitor down to the last resolved notice; machine ${fmt(f.machineBusy, 0)} % busy`)
  console.log('\n| storage | notice | alerts | p50 ms | p95 ms | p99 ms | max ms | alerts per POST (median / max) |')
  console.log('|---|---|---|---|---|---|---|---|')
  console.log(latencyRow(storage, 'firing (crossing run → POST received)', f.fired, n))
  console.log(latencyRow(storage, 'resolved (recovering run → POST received)', f.resolved, n))
  console.log('\nwhere the firing time goes, p50 / p99 / max ms:')
  console.log(`  run ended in its worker → result on the main thread: ${part(f.fired.map((d) => d.crossing.main - d.crossing.end))}`)
  console.log(`  result on the main thread → alert opened (its startedAt, ms clock): ${part(f.fired.map((d) => opened(d) - d.crossing.main))}`)
  const sent = new Map(f.store.trail.filter((t) => t.event === 'firing').map((t) => [t.alertId, t.sentAt]))
  const attempt = (d: Delivery): number => sent.get(d.alertId) ?? Number.NaN
  console.log(`  alert opened → the sender starts the attempt (both ms clocks): ${part(f.fired.map((d) => attempt(d) - opened(d)))}`)
  console.log(`  attempt started → POST received by the receiver: ${part(f.fired.map((d) => d.at - attempt(d)))}`)
  console.log(`\n  crossings seen ${f.crossed}; firing: ${posts(f.firingPosts)}`)
  console.log(`  resolved: ${posts(f.resolvedPosts)}`)
  console.log(`  ${f.duplicateKeys} repeated idempotency keys; ${f.unmatched} POSTed alerts without a crossing result`)
  console.log(`  ${stored(f.store)}`)
  console.log(`\n  VERDICT alert latency p99 ${ms(firing.p99)} ms < ${LATENCY_TARGET_MS} ms over ${f.fired.length} alerts: ${verdict(pass)}`)
  console.log(`  VERDICT no duplicates, nothing lost: ${verdict(clean && f.fired.length === n && f.resolved.length === n)}`)
  return pass && clean && f.resolved.length === n
}

export function printStorm(o: AlertsOptions, f: StormFigures): boolean {
  const n = o.monitors
  const fired = spread(f.fired.map((d) => d.totalMs))
  const resolved = spread(f.resolved.map((d) => d.totalMs))
  const lastFiring = Math.max(...f.firingPostMs)
  const lastResolved = Math.max(...f.resolvedPostMs)
  console.log('\n| measure | result |')
  console.log('|---|---|')
  console.log(`| threshold crossed | ${f.crossed} monitors, ${fmt(f.firstCrossingMs / 1000, 2)}–${fmt(f.lastCrossingMs / 1000, 2)} s after the flip |`)
  console.log(`| firing notices | ${posts(f.firingPosts)}; sizes in order: ${f.firingPosts.groupSizes.join(', ')} |`)
  console.log(`| firing POSTs received at | ${f.firingPostMs.map((t) => fmt(t / 1000, 2)).join(', ')} s after the flip |`)
  console.log(`| every alert delivered | ${f.allFired ? `${fmt(lastFiring / 1000, 2)} s after the flip, ${fmt((lastFiring - f.lastCrossingMs) / 1000, 2)} s after the last crossing` : 'NO (timed out after 120 s)'} |`)
  console.log(`| per alert, crossing run → POST | p50 ${ms(fired.p50)}, p99 ${ms(fired.p99)}, max ${ms(fired.max)} ms (the group window holds all but the first) |`)
  console.log(`| resolved notices | ${posts(f.resolvedPosts)}; sizes in order: ${f.resolvedPosts.groupSizes.join(', ')} |`)
  console.log(`| every resolved delivered | ${f.allResolved ? `${fmt(lastResolved / 1000, 2)} s after all came back up` : 'NO (timed out after 120 s)'}; per alert p50 ${ms(resolved.p50)}, p99 ${ms(resolved.p99)} ms |`)
  console.log(`| duplicates | ${f.firingPosts.duplicateAlerts + f.resolvedPosts.duplicateAlerts} repeated alert ids, ${f.duplicateKeys} repeated idempotency keys, ${f.firingPosts.monitorsAlertedTwice} monitors alerted twice |`)
  console.log(`| recorded | ${stored(f.store)} |`)

  postTrail('firing', f, f.flipAt)
  postTrail('resolved', f, f.upAt)

  console.log('\n| window | length s | API requests | API p50 / p95 / p99 / max ms | non-200 | engine event-loop delay p99 / max ms | schedule lag p99 / max ms (runs) | machine busy |')
  console.log('|---|---|---|---|---|---|---|---|')
  const stormApi: number[] = []
  for (const w of f.windows) {
    const idx = f.api.sentAt.flatMap((t, i) => (t >= w.from && t < w.to ? [i] : []))
    const lat = idx.map((i) => f.api.ms[i] as number)
    if (w.name.includes('storm')) stormApi.push(...lat)
    const bad = idx.filter((i) => f.api.status[i] !== 200).length
    const a = spread(lat)
    const l = spread(w.lags)
    console.log(
      `| ${w.name} | ${fmt((w.to - w.from) / 1000, 1)} | ${lat.length} | ${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)} / ${ms(a.max)} | ${bad} | ${ms(w.loop.p99)} / ${ms(w.loop.max)} | ${ms(l.p99)} / ${ms(l.max)} (${w.lags.length}) | ${fmt(w.machineBusy, 0)} % |`
    )
  }
  const total = f.api.status.length
  const failed = f.api.status.filter((s) => s !== 200).length
  console.log(`API client: ${total} requests, ${failed} not 200, ${f.api.late} sent late (previous response still out)`)

  const recorded = f.store.alerts === n && f.store.keysWithSeveral === 0 && (f.store.byStatus.resolved ?? 0) === n
  const grouped = f.allFired && f.allResolved && f.firingPosts.distinctMonitors === n && f.resolvedPosts.distinctMonitors === n && f.firingPosts.posts < n
  const noDup = f.firingPosts.duplicateAlerts === 0 && f.resolvedPosts.duplicateAlerts === 0 && f.duplicateKeys === 0 && f.firingPosts.monitorsAlertedTwice === 0
  const api = spread(stormApi)
  const responsive = failed === 0 && api.p99 < API_TARGET_MS
  console.log(`\n  VERDICT every alert recorded (${f.store.alerts} stored for ${n} monitors, all resolved): ${verdict(recorded)}`)
  console.log(`  VERDICT grouped notifications delivered (${f.firingPosts.posts} firing + ${f.resolvedPosts.posts} resolved POSTs for ${n} alerts): ${verdict(grouped)}`)
  console.log(`  VERDICT zero duplicates: ${verdict(noDup)}`)
  console.log(`  VERDICT API during the storms p99 ${ms(api.p99)} ms < ${API_TARGET_MS} ms, every request 200: ${verdict(responsive)}`)
  return recorded && grouped && noDup && responsive
}

/**
 * Each POST of a storm with its alerts' way through the engine, in seconds
 * after the flip: when their crossing runs ended, when the alerts were opened
 * (outbox createdAt, the judge's clock), the group slot they waited for, when
 * the sender started the attempt, and when the receiver had it.
 */
function postTrail(event: 'firing' | 'resolved', f: StormFigures, origin: number): void {
  const trail = new Map(f.store.trail.filter((t) => t.event === event).map((t) => [t.alertId, t]))
  const crossing = new Map((event === 'firing' ? f.fired : f.resolved).map((d) => [d.alertId, d.crossing.end]))
  const range = (values: number[]): string => {
    const ok = values.filter(Number.isFinite)
    if (ok.length === 0) return 'n/a'
    const lo = Math.min(...ok)
    const hi = Math.max(...ok)
    return hi - lo < 5 ? fmt((lo - origin) / 1000, 2) : `${fmt((lo - origin) / 1000, 2)}–${fmt((hi - origin) / 1000, 2)}`
  }
  console.log(`\n${event} POSTs, seconds after the flip:\n`)
  console.log('| POST | alerts | runs ended | alerts opened (queued) | due (group slot) | attempt started | attempt took ms | received |')
  console.log('|---|---|---|---|---|---|---|---|')
  f.posts
    .filter((p) => p.event === event)
    .forEach((p, i) => {
      const items = p.alerts.map((a) => trail.get(a.id)).filter((t) => t !== undefined)
      console.log(
        `| ${i + 1} | ${p.alerts.length} | ${range(p.alerts.map((a) => crossing.get(a.id) ?? Number.NaN))} | ${range(items.map((t) => t.createdAt))} | ${range(items.map((t) => t.due))} | ${range(items.map((t) => t.sentAt))} | ${fmt(Math.max(...items.map((t) => t.sendMs)), 0)} | ${fmt((p.at - origin) / 1000, 2)} |`
      )
    })
}
