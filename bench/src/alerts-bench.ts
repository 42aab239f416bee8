/**
 * `npm run bench -- alerts`: alert latency and an alert storm (issue #5).
 *
 * N HTTP monitors (1,000 every 2 s) against a target in its own process whose
 * answer is switched per monitor, one `consecutive` rule (threshold 2) to a
 * webhook channel, a webhook receiver in its own process; the engine and its
 * REST API run in this process, started as `vedette start` starts them.
 *
 * 1. Latency: monitors go down one at a time; from the end of the check run
 *    that crossed the threshold to the receiver having the POST, over N
 *    alerts (and their resolved notices). Target: p99 < 100 ms. The group
 *    window is 0 here (`--latency-window`): a notice then always takes the
 *    path of the first notice of a window (due at once), which is the path
 *    the target is about; with the default 3 s, notices 20 a second apart
 *    would measure the window, not the engine.
 * 2. Storm: the default group window, every monitor down at once, later up
 *    at once: every alert recorded, grouped notices delivered, no duplicate,
 *    and the API (a paced status client in its own process) still answers.
 */
import { runLatency } from './alerts-latency.js'
import { printLatency, printStorm } from './alerts-report.js'
import { runStorm } from './alerts-storm.js'

export interface AlertsOptions {
  monitors: number
  everyMs: number
  threshold: number
  storages: Array<'sqlite' | 'memory'>
  phases: Array<'latency' | 'storm'>
  spacingMs: number
  /** Monitors the latency phase takes down (the first ones). */
  alerts: number
  latencyWindow: string
  apiRate: number
  apiConcurrency: number
  quietS: number
  holdS: number
}

function parseArgs(args: string[]): AlertsOptions {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const number = (flag: string, fallback: number): number => {
    const text = get(flag)
    const n = text === undefined ? fallback : Number(text)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag}: expected a positive number, got '${text}'`)
    return n
  }
  const list = <T extends string>(flag: string, fallback: string, allowed: readonly T[]): T[] => {
    const values = (get(flag) ?? fallback).split(',').map((v) => v.trim())
    if (values.length === 0 || values.some((v) => !allowed.includes(v as T))) throw new Error(`${flag}: a list of ${allowed.join(', ')}`)
    return values as T[]
  }
  const scenario = get('--monitors') ?? '1000@2s'
  const m = /^(\d+)@(\d+(?:\.\d+)?)(ms|s)$/.exec(scenario)
  if (!m) throw new Error(`--monitors: expected N@<interval> like 1000@2s, got '${scenario}'`)
  const everyMs = Number(m[2]) * (m[3] === 's' ? 1000 : 1)
  if (everyMs < 1000) throw new Error('--monitors: the interval must be at least 1s (the config refuses less)')
  const latencyWindow = get('--latency-window') ?? '0ms'
  if (!/^\d+(ms|s)$/.test(latencyWindow)) throw new Error(`--latency-window: a duration like 0ms or 3s, got '${latencyWindow}'`)
  return {
    monitors: Number(m[1]),
    everyMs,
    threshold: Math.floor(number('--threshold', 2)),
    storages: list('--storage', 'sqlite', ['sqlite', 'memory'] as const),
    phases: list('--phases', 'latency,storm', ['latency', 'storm'] as const),
    spacingMs: number('--spacing', 50),
    alerts: Math.min(Number(m[1]), Math.floor(number('--alerts', Number(m[1])))),
    latencyWindow,
    apiRate: number('--api-rate', 200),
    apiConcurrency: Math.floor(number('--api-connections', 4)),
    quietS: number('--quiet', 10),
    holdS: number('--hold', 5)
  }
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args)
  console.log(
    `alerts bench: ${o.monitors.toLocaleString('en-US')} HTTP monitors every ${o.everyMs / 1000} s (keep-alive target in its own process), ` +
      `rule: consecutive, threshold ${o.threshold}, severity critical → one webhook channel → receiver in its own process; storage: ${o.storages.join(', ')}`
  )
  let ok = true
  for (const storage of o.storages) {
    const base = { monitors: o.monitors, everyMs: o.everyMs, threshold: o.threshold, storage }
    if (o.phases.includes('latency')) {
      console.log(`\n== latency, ${storage}: ${o.alerts} monitors down one every ${o.spacingMs} ms, alerts.groupWindow ${o.latencyWindow} ==`)
      const figures = await runLatency({ ...base, groupWindow: o.latencyWindow, spacingMs: o.spacingMs, alerts: o.alerts })
      ok = printLatency(storage, o, figures) && ok
    }
    if (o.phases.includes('storm')) {
      console.log(`\n== storm, ${storage}: all ${o.monitors} down at once, alerts.groupWindow default (3s); API client ${o.apiRate} req/s over ${o.apiConcurrency} connections ==`)
      const figures = await runStorm({ ...base, groupWindow: undefined, apiRate: o.apiRate, apiConcurrency: o.apiConcurrency, quietS: o.quietS, holdS: o.holdS })
      ok = printStorm(o, figures) && ok
    }
  }
  if (!ok) {
    console.log('\nSome verdicts are FAIL (see above).')
    process.exitCode = 1
  }
}
