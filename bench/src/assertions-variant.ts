/**
 * One measured run of the assertions bench: an in-process engine (the
 * scheduler bench's settings) with N HTTP monitors against the JSON target,
 * with or without the same assertions on every monitor, a warm-up, then a
 * measured window; every result is checked while it runs, and the stored
 * ones are read back afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '@vedette/core'
import type { Monitor } from '@vedette/core'
import { normalizeAssertions } from '@vedette/sdk'
import { LogTally } from './assertions-log-tally.js'
import { count, describeTally, emptyTally, sampleAssertions, tallyOk, tallyStored } from './assertions-verify.js'
import type { Tally } from './assertions-verify.js'
import { cpuSeconds, machineJiffies } from './process-stats.js'
import { config, counterTotal, inspectDb, progress } from './scheduler-bench.js'
import { fmt, percentiles } from './stats.js'

/**
 * The issue's six: status, header, a JSONPath filter over the body, a regex
 * over the body, a latency phase, and total latency as a warning (plain HTTP,
 * so no TLS assertion). The JSON and regex ones pass only on a body that was read.
 */
export const ASSERTIONS: readonly string[] = [
  'status in 200..299',
  'header.content-type contains json',
  'json $.items[?@.ok==false] empty',
  'body matches /"version":"\\d+\\.\\d+\\.\\d+"/',
  'latency.ttfb < 500ms',
  'latency < 2s warning'
]

export interface VariantSpec {
  label: 'without' | 'with'
  monitors: number
  everyMs: number
  warmupS: number
  durationS: number
  workers: number | undefined
  connection: 'reuse' | 'fresh'
  targetPort: number
  /** The target's process, whose CPU is reported apart (on a small machine it competes with the engine). */
  targetPid: number
  /** The target's body size, which every result's `responseBytes` must equal. */
  bodyBytes: number
}

export interface VariantFigures {
  label: VariantSpec['label']
  offered: number
  achieved: number
  lag: { p50: number; p99: number; max: number; runs: number }
  cpuUsPerCheck: number
  cpuPercent: number
  /** The engine's main thread alone (scheduler, results, storage), µs per check; the rest is check workers and V8's helpers. */
  mainThreadUsPerCheck: number
  rssMaxMiB: number
  /** The target process's CPU over the window, % of one core. */
  targetCpuPercent: number
  /** On-disk bytes of the results table per row (SQLite dbstat), the assertions observation included. */
  bytesPerResult: number
  /** The engine's warnings and errors, counted by message. */
  engineLog: string
  /** Share of the whole machine's CPU busy during the window (other people's work included). */
  machineBusy: number
  /** CPU used by neither the engine nor the target during the window, % of one core: other work on a shared machine. */
  otherCpuPercent: number
  live: Tally
  stored: Tally
  produced: number
  storedRows: number
  verified: boolean
}

function monitorsFor(spec: VariantSpec): Monitor[] {
  // Parsed the way config loading parses them, once, shared by every monitor.
  const assertions = spec.label === 'with' ? normalizeAssertions([...ASSERTIONS]) : undefined
  return Array.from({ length: spec.monitors }, (_, i) => ({
    tenantId: 'default',
    id: `m${i}`,
    name: `monitor ${i}`,
    type: 'http',
    schedule: { kind: 'interval', everyMs: spec.everyMs },
    // A run may not outlast its interval (config loading would refuse it).
    timeoutMs: Math.min(5000, spec.everyMs),
    enabled: true,
    tags: ['bench'],
    failureThreshold: 2,
    recoveryThreshold: 1,
    ...(assertions === undefined ? {} : { assertions }),
    config: { url: `http://127.0.0.1:${spec.targetPort}/m${i}`, ...(spec.connection === 'reuse' ? { reuseConnection: true } : {}) }
  }))
}

export async function runVariant(spec: VariantSpec): Promise<VariantFigures> {
  const expected = spec.label === 'with' ? ASSERTIONS.length : 0
  const offered = (spec.monitors * 1000) / spec.everyMs
  console.log(`\n== ${spec.label} assertions: ${spec.monitors.toLocaleString('en-US')} monitors every ${spec.everyMs / 1000} s (offered ${fmt(offered, 0)} checks/s) ==`)
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-bench-'))
  const monitors = monitorsFor(spec)
  const log = new LogTally()
  const engine = await Engine.create({ config: config(dataDir, monitors, spec.workers), baseDir: dataDir, logger: log.logger })
  await engine.start()
  await progress(engine, spec.warmupS, 'warm-up')

  // The same listener in both variants, so both pay for it.
  const live = emptyTally()
  const unResult = engine.onResult((r) => count(live, r, expected, spec.bodyBytes))
  const lags: number[] = []
  const unLag = engine.onScheduleLag((l) => lags.push(l))
  const c0 = await counterTotal(engine)
  const cpu0 = process.cpuUsage()
  const m0 = machineJiffies()
  const t0 = cpuSeconds(spec.targetPid)
  const main0 = cpuSeconds(process.pid, process.pid)
  const from = Date.now()
  const w0 = performance.now()
  let rssMax = 0
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 500)
  await progress(engine, spec.durationS, 'measure')
  const wallS = (performance.now() - w0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const m1 = machineJiffies()
  const t1 = cpuSeconds(spec.targetPid)
  const main1 = cpuSeconds(process.pid, process.pid)
  const to = Date.now()
  const c1 = await counterTotal(engine)
  clearInterval(rssTimer)
  unLag()
  unResult()

  // Runs that started in the window, as stored (the engine keeps running meanwhile).
  const stored = await tallyStored(engine, monitors, from, to, expected, spec.bodyBytes)
  const sample = expected > 0 ? await sampleAssertions(engine, monitors[0] as Monitor) : ''
  await engine.stop()
  const produced = (await counterTotal(engine)).total
  const { stored: storedRows, bytesPerResult } = inspectDb(join(dataDir, 'vedette.db'))
  rmSync(dataDir, { recursive: true, force: true })

  const completed = c1.total - c0.total
  const cpuUs = cpu.user + cpu.system
  const [p50, p99] = percentiles(lags, [50, 99])
  const cpuPercent = (cpuUs / 1e6 / wallS) * 100
  const targetCpuPercent = ((t1 - t0) / wallS) * 100
  const machineBusy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100
  const figures: VariantFigures = {
    label: spec.label,
    offered,
    achieved: completed / wallS,
    lag: { p50: p50 ?? NaN, p99: p99 ?? NaN, max: lags.reduce((a, b) => (b > a ? b : a), 0), runs: lags.length },
    cpuUsPerCheck: cpuUs / Math.max(1, completed),
    cpuPercent,
    mainThreadUsPerCheck: ((main1 - main0) * 1e6) / Math.max(1, completed),
    rssMaxMiB: rssMax / 2 ** 20,
    targetCpuPercent,
    bytesPerResult,
    engineLog: log.describe(),
    machineBusy,
    otherCpuPercent: Math.max(0, machineBusy * availableParallelism() - cpuPercent - targetCpuPercent),
    live,
    stored,
    produced,
    storedRows,
    verified: tallyOk(live, expected) && tallyOk(stored, expected) && produced === storedRows
  }
  console.log(
    [
      `offered ${fmt(offered, 0)} checks/s, achieved ${fmt(figures.achieved, 0)} checks/s over ${fmt(wallS, 0)} s`,
      `schedule lag p50 ${fmt(figures.lag.p50, 1)} ms, p99 ${fmt(figures.lag.p99, 1)} ms, max ${fmt(figures.lag.max, 1)} ms (${lags.length.toLocaleString('en-US')} runs)`,
      `engine CPU ${fmt(figures.cpuPercent, 0)} % of one core, ${fmt(figures.cpuUsPerCheck, 0)} µs per check (main thread ${fmt(figures.mainThreadUsPerCheck, 0)} µs, other threads ${fmt(figures.cpuUsPerCheck - figures.mainThreadUsPerCheck, 0)} µs); RSS max ${fmt(figures.rssMaxMiB, 0)} MiB; target ${fmt(figures.targetCpuPercent, 0)} %, everything else ${fmt(figures.otherCpuPercent, 0)} % of one core; machine ${fmt(figures.machineBusy, 0)} % busy`,
      `live: ${describeTally(live, expected)}`,
      `stored (started in the window, read back): ${describeTally(stored, expected)}`,
      `results produced ${produced.toLocaleString('en-US')}, stored ${storedRows.toLocaleString('en-US')} → ${produced === storedRows ? 'equal' : `LOST ${produced - storedRows}`}; ${fmt(bytesPerResult, 0)} bytes stored per result`,
      `engine warnings/errors (whole run, warm-up included): ${figures.engineLog}`,
      `verified: ${figures.verified ? 'yes' : 'NO'}`
    ]
      .map((l) => `  ${l}`)
      .join('\n')
  )
  if (sample !== '') console.log(`  stored assertions of ${monitors[0]?.id}'s newest result:\n${sample}`)
  return figures
}
