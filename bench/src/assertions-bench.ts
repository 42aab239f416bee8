/**
 * `npm run bench -- assertions`: what judging every response costs. N HTTP
 * monitors (5,000 every 2.5 s: 2,000 checks/s offered) against a keep-alive
 * target in its own process that serves a ~20 KB JSON document, run twice
 * with the same engine settings: without assertions, then with six on every
 * monitor (status, header, a JSONPath filter over the body, a body regex, a
 * latency phase, total latency). Prints both runs and the ratios with/without
 * against the target (achieved rate and p99 schedule lag within 10 %).
 */
import type { ChildProcess } from 'node:child_process'
import { ASSERTIONS, runVariant } from './assertions-variant.js'
import type { VariantFigures, VariantSpec } from './assertions-variant.js'
import { fmt } from './stats.js'
import { startTarget } from './target.js'

interface Options {
  monitors: number
  everyMs: number
  durationS: number
  warmupS: number
  bodyBytes: number
  workers: number | undefined
  connection: 'reuse' | 'fresh'
  rounds: number
  /** Which runs to make; both unless profiling one (`--variants with`). */
  variants: Array<VariantSpec['label']>
}

/** The issue's bound: with assertions, achieved rate and p99 lag within 10 % of the run without. */
const TOLERANCE = 0.1

function parseArgs(args: string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const number = (flag: string, fallback: number): number => {
    const text = get(flag)
    const n = text === undefined ? fallback : Number(text)
    if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a number, got '${text}'`)
    return n
  }
  const scenario = get('--monitors') ?? '5000@2500ms'
  const m = /^(\d+)@(\d+(?:\.\d+)?)(ms|s)$/.exec(scenario)
  if (!m) throw new Error(`--monitors: expected N@<interval> like 5000@2500ms, got '${scenario}'`)
  const everyMs = Number(m[2]) * (m[3] === 's' ? 1000 : 1)
  const connection = get('--connection') ?? 'reuse'
  if (connection !== 'reuse' && connection !== 'fresh') throw new Error('--connection: reuse or fresh')
  const workers = get('--workers')
  const variants = (get('--variants') ?? 'without,with').split(',').map((v) => v.trim())
  if (variants.length === 0 || variants.some((v) => v !== 'without' && v !== 'with')) throw new Error("--variants: 'without', 'with' or 'without,with'")
  return {
    monitors: Number(m[1]),
    everyMs,
    durationS: number('--duration', 60),
    warmupS: number('--warmup', Math.max(10, Math.ceil(everyMs / 1000))),
    bodyBytes: number('--body-bytes', 20_480),
    workers: workers === undefined ? undefined : number('--workers', 2),
    connection,
    rounds: Math.max(1, Math.floor(number('--rounds', 1))),
    variants: variants as Options['variants']
  }
}

/** The exact size of the body the target serves (asked over IPC). */
function servedBytes(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (msg) => resolve((msg as { bodyBytes: number }).bodyBytes))
    child.send('count')
  })
}

async function measure(label: VariantSpec['label'], opts: Options): Promise<VariantFigures> {
  // A fresh target per run, so neither run inherits the other's connections.
  const target = await startTarget(['--json-bytes', String(opts.bodyBytes)])
  try {
    const bodyBytes = await servedBytes(target.child)
    return await runVariant({
      label,
      monitors: opts.monitors,
      everyMs: opts.everyMs,
      warmupS: opts.warmupS,
      durationS: opts.durationS,
      workers: opts.workers,
      connection: opts.connection,
      targetPort: target.port,
      targetPid: target.child.pid ?? 0,
      bodyBytes
    })
  } finally {
    target.child.kill()
  }
}

function row(round: number, f: VariantFigures): string {
  return `| ${round} | ${f.label} | ${fmt(f.offered, 0)} | ${fmt(f.achieved, 0)} | ${fmt(f.lag.p50, 1)} / ${fmt(f.lag.p99, 1)} / ${fmt(f.lag.max, 1)} ms | ${fmt(f.cpuUsPerCheck, 0)} µs (${fmt(f.mainThreadUsPerCheck, 0)}) | ${fmt(f.cpuPercent, 0)} % | ${fmt(f.rssMaxMiB, 0)} MiB | ${fmt(f.bytesPerResult, 0)} | ${fmt(f.targetCpuPercent, 0)} % | ${fmt(f.otherCpuPercent, 0)} % | ${fmt(f.machineBusy, 0)} % | ${f.verified ? 'yes' : 'NO'} |`
}

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${fmt(n, 0)}`

function ratios(round: number, without: VariantFigures, withA: VariantFigures): string {
  const rate = withA.achieved / without.achieved
  const lag = withA.lag.p99 / without.lag.p99
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL')
  return [
    `| ${round} | achieved rate | ${fmt(rate, 3)} | ≥ ${fmt(1 - TOLERANCE, 2)} | ${verdict(rate >= 1 - TOLERANCE)} |`,
    `| ${round} | p99 schedule lag | ${fmt(lag, 2)} (${fmt(without.lag.p99, 1)} → ${fmt(withA.lag.p99, 1)} ms) | ≤ ${fmt(1 + TOLERANCE, 2)} | ${verdict(lag <= 1 + TOLERANCE)} |`,
    `| ${round} | engine CPU per check | ${fmt(withA.cpuUsPerCheck / without.cpuUsPerCheck, 2)} (${signed(withA.cpuUsPerCheck - without.cpuUsPerCheck)} µs, main thread ${signed(withA.mainThreadUsPerCheck - without.mainThreadUsPerCheck)} µs) | — | info |`,
    `| ${round} | RSS max | ${fmt(withA.rssMaxMiB / without.rssMaxMiB, 2)} | — | info |`
  ].join('\n')
}

export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args)
  console.log(
    `assertions bench: ${opts.monitors.toLocaleString('en-US')} HTTP monitors every ${opts.everyMs / 1000} s, ~${opts.bodyBytes.toLocaleString('en-US')}-byte JSON body, ` +
      `connections: ${opts.connection}, warm-up ${opts.warmupS} s, ${opts.durationS} s measured per run, ${opts.rounds} round(s) of without → with`
  )
  console.log(`assertions on every monitor in the "with" runs:\n${ASSERTIONS.map((a) => `  - ${a}`).join('\n')}`)
  const rounds: Array<Partial<Record<VariantSpec['label'], VariantFigures>>> = []
  for (let round = 1; round <= opts.rounds; round++) {
    const figures: Partial<Record<VariantSpec['label'], VariantFigures>> = {}
    for (const label of opts.variants) figures[label] = await measure(label, opts)
    rounds.push(figures)
  }
  console.log('\n| round | assertions | offered/s | achieved/s | lag p50 / p99 / max | CPU per check (main thread) | engine CPU | RSS max | bytes/result | target CPU | other CPU | machine busy | verified |')
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  rounds.forEach((r, i) => opts.variants.forEach((label) => console.log(row(i + 1, r[label] as VariantFigures))))
  if (opts.variants.length === 2) {
    console.log('\n| round | with / without | ratio | target | verdict |')
    console.log('|---|---|---|---|---|')
    rounds.forEach((r, i) => console.log(ratios(i + 1, r.without as VariantFigures, r.with as VariantFigures)))
  }
  if (rounds.some((r) => Object.values(r).some((f) => !f.verified))) {
    console.log('\nWARNING: a run did not verify (see its "live" / "stored" lines): some runs timed out (an overloaded engine or machine), failed an assertion, or were not judged.')
    process.exitCode = 1
  }
}
