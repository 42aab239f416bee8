/**
 * `npm run bench -- scheduler`: the engine with SQLite storage and N HTTP
 * monitors against a local keep-alive target in its own process. Prints
 * offered vs achieved checks/s, schedule lag, results produced vs stored,
 * engine CPU, RSS, bytes per stored result and time to schedule everything.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { Engine, createLogger } from '@vedette/core'
import type { Monitor, VedetteConfig } from '@vedette/core'
import { fmt, percentiles } from './stats.js'
import { startTarget } from './target.js'

interface Scenario {
  monitors: number
  everyMs: number
}

interface Options {
  scenarios: Scenario[]
  durationS: number
  warmupS: number | undefined
  workers: number | undefined
  /** `reuse`: monitors keep connections open (reuseConnection); `fresh`: a connection per run, every phase measured. */
  connection: 'reuse' | 'fresh'
}

function parseArgs(args: string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const scenarios = (get('--scenarios') ?? '1000@2s,10000@5s,100000@30s').split(',').map((s) => {
    const m = /^(\d+)@(\d+)(ms|s)$/.exec(s.trim())
    if (!m) throw new Error(`--scenarios: expected N@<interval> like 1000@2s, got '${s}'`)
    return { monitors: Number(m[1]), everyMs: Number(m[2]) * (m[3] === 's' ? 1000 : 1) }
  })
  const warmup = get('--warmup')
  const workers = get('--workers')
  const connection = get('--connection') ?? 'reuse'
  if (connection !== 'reuse' && connection !== 'fresh') throw new Error('--connection: reuse or fresh')
  return {
    connection,
    scenarios,
    durationS: Number(get('--duration') ?? 60),
    warmupS: warmup === undefined ? undefined : Number(warmup),
    workers: workers === undefined ? undefined : Number(workers)
  }
}

/** The engine's check counter: total and by status (shared with the assertions bench). */
export async function counterTotal(engine: Engine): Promise<{ total: number; byStatus: Record<string, number> }> {
  const metric = await engine.metrics.checks.get()
  const byStatus: Record<string, number> = {}
  let total = 0
  for (const v of metric.values) {
    total += v.value
    const s = String(v.labels.status)
    byStatus[s] = (byStatus[s] ?? 0) + v.value
  }
  return { total, byStatus }
}

/** The engine settings every in-process bench uses (shared with the assertions bench). */
export function config(dataDir: string, monitors: Monitor[], workers: number | undefined): VedetteConfig {
  return {
    server: { port: 0, host: '127.0.0.1', rateLimit: false },
    dataDir,
    logLevel: 'warn',
    storage: { plugin: '@vedette/storage-sqlite', config: {} },
    plugins: [],
    auth: { enabled: false, plugins: [], publicMetrics: true },
    monitors,
    engine: {
      workers: workers ?? 2,
      concurrencyPerWorker: 512,
      maxQueue: 20_000,
      processWorkers: 1,
      hookTimeoutMs: 5000,
      shutdownTimeoutMs: 10_000,
      failureThreshold: 2,
      recoveryThreshold: 1,
      flushIntervalMs: 250
    }
  }
}

async function runScenario(s: Scenario, opts: Options): Promise<void> {
  const offered = (s.monitors * 1000) / s.everyMs
  console.log(`\n== ${s.monitors.toLocaleString('en-US')} monitors every ${s.everyMs / 1000}s (offered ${fmt(offered, 0)} checks/s), connections: ${opts.connection} ==`)
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-bench-'))
  const target = await startTarget()
  const monitors: Monitor[] = Array.from({ length: s.monitors }, (_, i) => ({
    tenantId: 'default',
    id: `m${i}`,
    name: `monitor ${i}`,
    type: 'http',
    schedule: { kind: 'interval', everyMs: s.everyMs },
    timeoutMs: 5000,
    enabled: true,
    tags: ['bench'],
    failureThreshold: 2,
    recoveryThreshold: 1,
    config: { url: `http://127.0.0.1:${target.port}/m${i}`, ...(opts.connection === 'reuse' ? { reuseConnection: true } : {}) }
  }))
  const logger = createLogger({ level: 'warn', pretty: false })
  const t0 = Date.now()
  const engine = await Engine.create({ config: config(dataDir, monitors, opts.workers), baseDir: dataDir, logger })
  await engine.start()
  const scheduledMs = (engine.scheduledAt ?? Date.now()) - t0
  const storedMs = Date.now() - t0
  console.log(`all ${s.monitors.toLocaleString('en-US')} monitors scheduled ${fmt(scheduledMs / 1000, 2)} s after start, stored after ${fmt(storedMs / 1000, 2)} s`)

  const warmupS = opts.warmupS ?? Math.max(10, Math.ceil(s.everyMs / 1000))
  await progress(engine, warmupS, 'warm-up')

  const lags: number[] = []
  const unsubscribe = engine.onScheduleLag((l) => lags.push(l))
  const c0 = await counterTotal(engine)
  const cpu0 = process.cpuUsage()
  const w0 = performance.now()
  let rssMax = 0
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 500)
  await progress(engine, opts.durationS, 'measure')
  const wallS = (performance.now() - w0) / 1000
  const cpu = process.cpuUsage(cpu0)
  const c1 = await counterTotal(engine)
  clearInterval(rssTimer)
  unsubscribe()

  const tStop = performance.now()
  await engine.stop()
  const stopMs = performance.now() - tStop
  const produced = (await counterTotal(engine)).total
  const { stored, bytesPerResult } = inspectDb(join(dataDir, 'vedette.db'))
  target.child.kill()

  const completed = c1.total - c0.total
  const cpuUs = cpu.user + cpu.system
  const [p50, p99] = percentiles(lags, [50, 99])
  const statuses = Object.entries(c1.byStatus)
    .map(([k, v]) => `${k} ${v - (c0.byStatus[k] ?? 0)}`)
    .join(', ')
  console.log(
    [
      `offered ${fmt(offered, 0)} checks/s, achieved ${fmt(completed / wallS, 0)} checks/s over ${fmt(wallS, 0)} s (${statuses})`,
      `schedule lag p50 ${fmt(p50 ?? NaN, 1)} ms, p99 ${fmt(p99 ?? NaN, 1)} ms, max ${fmt(lags.length ? lags.reduce((a, b) => (b > a ? b : a), 0) : NaN, 1)} ms (${lags.length.toLocaleString('en-US')} runs)`,
      `results produced ${produced.toLocaleString('en-US')}, stored ${stored.toLocaleString('en-US')} → ${produced === stored ? 'equal' : `LOST ${produced - stored}`}`,
      `engine CPU ${fmt((cpuUs / 1e6 / wallS) * 100, 0)} % of one core, ${fmt(cpuUs / Math.max(1, completed), 0)} µs per completed check (user ${fmt(cpu.user / Math.max(1, completed), 0)} µs, system ${fmt(cpu.system / Math.max(1, completed), 0)} µs)`,
      `RSS max ${fmt(rssMax / 2 ** 20, 0)} MiB`,
      `bytes stored per raw result ${fmt(bytesPerResult, 1)}`,
      `time to schedule all monitors ${fmt(scheduledMs / 1000, 2)} s (records stored after ${fmt(storedMs / 1000, 2)} s); shutdown (drain + flush) ${fmt(stopMs, 0)} ms`
    ]
      .map((l) => `  ${l}`)
      .join('\n')
  )
  rmSync(dataDir, { recursive: true, force: true })
}

/** Waits `seconds`, printing the rate and the pool queue to stderr every 5 s. */
export async function progress(engine: Engine, seconds: number, phase: string): Promise<void> {
  const end = Date.now() + seconds * 1000
  let last = (await counterTotal(engine)).total
  while (Date.now() < end) {
    await sleep(Math.min(5000, end - Date.now()))
    const now = (await counterTotal(engine)).total
    const pool = engine.poolStats
    process.stderr.write(`  [${phase}] ${Math.ceil((end - Date.now()) / 1000)} s left, ${fmt((now - last) / 5, 0)} checks/s, queue ${pool.queued}, running ${pool.running}\n`)
    last = now
  }
}

/** Rows and on-disk bytes of the results table and its indexes (SQLite's dbstat). */
export function inspectDb(path: string): { stored: number; bytesPerResult: number } {
  const db = new Database(path, { readonly: true })
  try {
    const stored = (db.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n
    const bytes = (
      db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'results')").get() as { b: number }
    ).b
    return { stored, bytesPerResult: bytes / Math.max(1, stored) }
  } finally {
    db.close()
  }
}

export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args)
  for (const s of opts.scenarios) await runScenario(s, opts)
}
