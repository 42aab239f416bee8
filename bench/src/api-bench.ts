/**
 * `npm run bench -- api`: the REST API under load while the scheduler runs.
 *
 * The engine is `vedette start` in its own process (the path users run, and
 * a process of its own can be CPU-profiled and its CPU told apart from the
 * client's); its monitors check the scheduler bench's keep-alive target, in a
 * third process. autocannon runs here, through its programmatic API.
 *
 * 1. N monitors (10,000 @ 20 s: 500 checks/s): autocannon against
 *    `GET /monitors/{id}/status` with random ids and `GET /monitors?limit=50`.
 * 2. A fresh engine with M monitors (100,000 @ 30 s): page through all of
 *    them with limit=1000, and time single `POST /monitors` creates.
 */
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fmt, percentiles } from './stats.js'
import { startTarget } from './target.js'
import { createAdminKey, monitorId, startServer } from './engine-process.js'
import type { Server } from './engine-process.js'
import { cpuSeconds, machineJiffies, nowUs, topFunctions } from './process-stats.js'

const require = createRequire(import.meta.url)

// autocannon ships no types; the part of its API used here.
interface AutocannonRequest {
  method?: string
  path?: string
  setupRequest?: (req: { path?: string }) => { path?: string }
}
interface AutocannonOptions {
  url: string
  connections: number
  duration: number
  headers?: Record<string, string>
  requests?: AutocannonRequest[]
}
interface AutocannonResult {
  requests: { total: number; average: number }
  latency: { p50: number; p97_5: number; p99: number; max: number; average: number }
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats: Record<string, { count: number }>
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void
  on(event: 'tick', listener: (tick: { counter: number }) => void): void
}
type Autocannon = (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance
const autocannon = require('autocannon') as Autocannon

interface Options {
  monitors: number
  everyMs: number
  large: number
  largeEveryMs: number
  durationS: number
  warmupS: number | undefined
  connections: number
  creates: number
  auth: boolean
  cpuProf: boolean
}

function parseArgs(args: string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const scenario = (flag: string, fallback: string): { n: number; everyMs: number } => {
    const text = get(flag) ?? fallback
    if (text === '0') return { n: 0, everyMs: 1000 } // skip that phase
    const m = /^(\d+)@(\d+)(ms|s)$/.exec(text)
    if (!m) throw new Error(`${flag}: expected N@<interval> like 10000@20s, got '${text}'`)
    return { n: Number(m[1]), everyMs: Number(m[2]) * (m[3] === 's' ? 1000 : 1) }
  }
  const small = scenario('--monitors', '10000@20s')
  const large = scenario('--large', '100000@30s')
  const auth = get('--auth') ?? 'on'
  if (auth !== 'on' && auth !== 'off') throw new Error('--auth: on or off')
  const warmup = get('--warmup')
  return {
    monitors: small.n,
    everyMs: small.everyMs,
    large: large.n,
    largeEveryMs: large.everyMs,
    durationS: Number(get('--duration') ?? 20),
    warmupS: warmup === undefined ? undefined : Number(warmup),
    connections: Number(get('--connections') ?? 100),
    creates: Number(get('--creates') ?? 20),
    auth: auth === 'on',
    cpuProf: args.includes('--cpu-prof')
  }
}

/* ------------------------------------------------------------------ processes */


/** The engine's completed-check counter, from its public /metrics. */
async function checksDone(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  let total = 0
  for (const line of text.split('\n')) if (line.startsWith('vedette_checks_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1))
  return total
}

/* ------------------------------------------------------------------ load */

interface Load {
  name: string
  reqPerS: number
  p50: number
  p95: number
  p99: number
  max: number
  autocannon: { p50: number; p97_5: number; p99: number }
  total: number
  non2xx: number
  errors: number
  serverCpu: number
  clientCpu: number
  machineBusy: number
  checksPerS: number
}

/**
 * autocannon for `seconds` against one route. Every response time is kept
 * (autocannon's own summary stops at p97.5 and p99; p95 is computed here).
 */
async function load(server: Server, name: string, path: string | (() => string), seconds: number, connections: number, quiet = false): Promise<Load> {
  const latencies: number[] = []
  const request: AutocannonRequest =
    typeof path === 'string' ? { method: 'GET', path } : { method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) }
  const checks0 = await checksDone(server.base)
  const server0 = cpuSeconds(server.pid)
  const client0 = process.cpuUsage()
  const machine0 = machineJiffies()
  const w0 = performance.now()
  let done = 0
  let last = 0
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon({ url: server.base, connections, duration: seconds, headers: server.headers, requests: [request] }, (err, res) =>
      err ? reject(err) : resolve(res)
    )
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms))
    instance.on('tick', ({ counter }) => {
      done++
      last += counter
      if (quiet || done % 5 !== 0) return
      const rate = last / 5
      last = 0
      // A progress line is not worth failing the run over: a scrape that fails just prints nothing.
      void checksDone(server.base).then(
        (c) => process.stderr.write(`  [${name}] ${Math.max(0, seconds - done)} s left, ${fmt(rate, 0)} req/s, scheduler ${fmt(((c - checks0) * 1000) / (performance.now() - w0), 0)} checks/s\n`),
        () => undefined
      )
    })
  })
  const wallS = (performance.now() - w0) / 1000
  const client = process.cpuUsage(client0)
  const machine1 = machineJiffies()
  const checks1 = await checksDone(server.base)
  const [p50, p95, p99] = percentiles(latencies, [50, 95, 99])
  return {
    name,
    reqPerS: result.requests.total / result.duration,
    p50: p50 ?? Number.NaN,
    p95: p95 ?? Number.NaN,
    p99: p99 ?? Number.NaN,
    max: latencies.reduce((a, b) => (b > a ? b : a), 0),
    autocannon: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpu: (cpuSeconds(server.pid) - server0) / wallS,
    clientCpu: (client.user + client.system) / 1e6 / wallS,
    machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    checksPerS: (checks1 - checks0) / wallS
  }
}

function report(l: Load, target: { reqPerS: number; p99: number }): string {
  const ok = l.reqPerS >= target.reqPerS && l.p99 < target.p99 && l.non2xx === 0 && l.errors === 0
  return [
    `${l.name}: ${fmt(l.reqPerS, 0)} req/s (${l.total.toLocaleString('en-US')} requests), latency p50 ${fmt(l.p50, 1)} ms, p95 ${fmt(l.p95, 1)} ms, p99 ${fmt(l.p99, 1)} ms, max ${fmt(l.max, 0)} ms`,
    `  autocannon's own histogram (whole ms): p50 ${l.autocannon.p50}, p97.5 ${l.autocannon.p97_5}, p99 ${l.autocannon.p99} ms; non-2xx ${l.non2xx}, errors/timeouts ${l.errors}`,
    `  CPU: server ${fmt(l.serverCpu * 100, 0)} % of a core (all its threads), autocannon ${fmt(l.clientCpu * 100, 0)} %, whole machine ${fmt(l.machineBusy * 100, 0)} % busy; scheduler meanwhile ${fmt(l.checksPerS, 0)} checks/s`,
    `  target ≥ ${target.reqPerS.toLocaleString('en-US')} req/s with p99 < ${target.p99} ms: ${ok ? 'met' : 'MISSED'}`
  ].join('\n')
}

/* ------------------------------------------------------------------ paging and creates */

async function getJson(server: Server, path: string): Promise<{ status: number; body: unknown; bytes: number }> {
  const res = await fetch(`${server.base}${path}`, { headers: server.headers })
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as unknown, bytes: text.length }
}

/** Every page of limit=1000, in order; checks that each monitor came exactly once. */
async function pageAll(server: Server, expected: number): Promise<{ totalMs: number; pages: number; pageMs: number[]; bytes: number }> {
  const pageMs: number[] = []
  let bytes = 0
  let seen = 0
  let previous = ''
  let cursor: string | undefined
  const t0 = performance.now()
  do {
    const p0 = performance.now()
    const { status, body, bytes: b } = await getJson(server, `/api/v1/monitors?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    pageMs.push(performance.now() - p0)
    if (status !== 200) throw new Error(`page ${pageMs.length}: HTTP ${status} ${JSON.stringify(body)}`)
    const page = body as { items: Array<{ id: string }>; nextCursor?: string }
    for (const m of page.items) {
      if (m.id <= previous) throw new Error(`page ${pageMs.length}: ${m.id} after ${previous}: out of order or repeated`)
      previous = m.id
    }
    seen += page.items.length
    bytes += b
    cursor = page.nextCursor
  } while (cursor !== undefined)
  const totalMs = performance.now() - t0
  if (seen < expected) throw new Error(`paging saw ${seen} monitors, expected at least ${expected}`)
  return { totalMs, pages: pageMs.length, pageMs, bytes }
}

async function createOne(server: Server, id: string, targetPort: number, everyMs: number): Promise<number> {
  const body = { id, type: 'http', interval: `${everyMs / 1000}s`, tags: ['bench', 'created'], config: { url: `http://127.0.0.1:${targetPort}/${id}`, reuseConnection: true } }
  const t0 = performance.now()
  const res = await fetch(`${server.base}/api/v1/monitors`, { method: 'POST', headers: { ...server.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  await res.text()
  const ms = performance.now() - t0
  if (res.status !== 201) throw new Error(`POST /api/v1/monitors ${id}: HTTP ${res.status}`)
  return ms
}

/* ------------------------------------------------------------------ phases */

/** The data directory goes; with --cpu-prof the profiles stay, for Chrome DevTools or speedscope. */
function cleanUp(server: Server, opts: Options): void {
  if (!opts.cpuProf) return rmSync(server.dir, { recursive: true, force: true })
  rmSync(join(server.dir, 'data'), { recursive: true, force: true })
  console.log(`  CPU profiles of the server (main thread: *.${server.pid}.0.*) kept in ${join(server.dir, 'prof')}`)
}

async function statusAndList(opts: Options, targetPort: number): Promise<void> {
  const offered = (opts.monitors * 1000) / opts.everyMs
  console.log(`\n== ${opts.monitors.toLocaleString('en-US')} monitors every ${opts.everyMs / 1000}s (${fmt(offered, 0)} checks/s), ${opts.connections} connections, ${opts.durationS} s per route ==`)
  const server = await startServer({ monitors: opts.monitors, everyMs: opts.everyMs, targetPort, auth: opts.auth, cpuProf: opts.cpuProf })
  console.log(`  ${server.authNote}`)
  console.log(`  vedette start ready after ${fmt(server.readyS, 1)} s`)
  try {
    // One interval, so every monitor has a result and status reads are in steady state.
    const warmupS = opts.warmupS ?? Math.ceil(opts.everyMs / 1000)
    for (let left = warmupS; left > 0; left -= 5) {
      await sleep(Math.min(5, left) * 1000)
      process.stderr.write(`  [warm-up] ${Math.max(0, left - 5)} s left, ${fmt(await checksDone(server.base), 0)} checks done\n`)
    }
    const randomStatus = (): string => `/api/v1/monitors/${monitorId(Math.floor(Math.random() * opts.monitors))}/status`
    const windows: Array<[string, [number, number]]> = []
    const results: Array<[Load, { reqPerS: number; p99: number }]> = []
    for (const [name, path, target] of [
      ['GET /api/v1/monitors/{id}/status (random id)', randomStatus, { reqPerS: 10_000, p99: 25 }],
      ['GET /api/v1/monitors?limit=50', '/api/v1/monitors?limit=50', { reqPerS: 2_000, p99: 100 }]
    ] as const) {
      // A short unreported run first: the JIT, the connections and the key cache warm up.
      await load(server, `${name} warm-up`, path, 3, opts.connections, true)
      const t0 = nowUs()
      const l = await load(server, name, path, opts.durationS, opts.connections)
      windows.push([name, [t0, nowUs()]])
      results.push([l, target])
      console.log(report(l, target))
    }
    await server.stop()
    if (opts.cpuProf) {
      for (const [name, window] of windows) console.log(`  server main thread, self time during ${name}:\n${topFunctions(join(server.dir, 'prof'), server.pid, window)}`)
    }
  } finally {
    await server.stop()
    cleanUp(server, opts)
  }
}

async function pagingAndCreates(opts: Options, targetPort: number): Promise<void> {
  const offered = (opts.large * 1000) / opts.largeEveryMs
  console.log(`\n== ${opts.large.toLocaleString('en-US')} monitors every ${opts.largeEveryMs / 1000}s (${fmt(offered, 0)} checks/s): paging and creates while the scheduler runs ==`)
  const server = await startServer({ monitors: opts.large, everyMs: opts.largeEveryMs, targetPort, auth: opts.auth, cpuProf: opts.cpuProf })
  console.log(`  ${server.authNote}`)
  console.log(`  vedette start ready after ${fmt(server.readyS, 1)} s (config file with ${opts.large.toLocaleString('en-US')} monitors: read, validated, stored as version 1, scheduled)`)
  try {
    // One interval: the first runs (and any catch-up after a long start) are behind, the scheduler is in steady state.
    const warmupS = opts.warmupS ?? Math.ceil(opts.largeEveryMs / 1000)
    for (let left = warmupS; left > 0; left -= 5) {
      await sleep(Math.min(5, left) * 1000)
      process.stderr.write(`  [warm-up] ${Math.max(0, left - 5)} s left, ${fmt(await checksDone(server.base), 0)} checks done\n`)
    }
    const c0 = await checksDone(server.base)
    const w0 = performance.now()
    const windows: Array<[string, [number, number]]> = []

    const pagingStart = nowUs()
    const passes = []
    for (let pass = 1; pass <= 3; pass++) {
      const p = await pageAll(server, opts.large)
      passes.push(p)
      const [p50] = percentiles(p.pageMs, [50])
      console.log(
        `  paging pass ${pass}: ${p.pages} pages of limit=1000 in ${fmt(p.totalMs, 0)} ms (page p50 ${fmt(p50 ?? NaN, 1)} ms, max ${fmt(Math.max(...p.pageMs), 1)} ms, ${fmt(p.bytes / 2 ** 20, 1)} MiB of JSON)`
      )
    }
    windows.push(['paging', [pagingStart, nowUs()]])
    const best = Math.min(...passes.map((p) => p.totalMs))
    const worst = Math.max(...passes.map((p) => p.totalMs))
    console.log(`  paging ${opts.large.toLocaleString('en-US')} monitors: best ${fmt(best / 1000, 2)} s, worst ${fmt(worst / 1000, 2)} s; target < 3 s: ${worst < 3000 ? 'met' : 'MISSED'}`)

    const createStart = nowUs()
    const createMs: number[] = []
    for (let i = 0; i < opts.creates; i++) {
      createMs.push(await createOne(server, `new-${String(i).padStart(3, '0')}`, targetPort, opts.largeEveryMs))
      // Spaced out, as people create monitors; the scheduler keeps running in between.
      await sleep(100)
    }
    windows.push(['creates', [createStart, nowUs()]])
    const [median] = percentiles([...createMs], [50])
    const maxCreate = Math.max(...createMs)
    const checksPerS = ((await checksDone(server.base)) - c0) / ((performance.now() - w0) / 1000)
    console.log(
      `  POST /api/v1/monitors × ${opts.creates}: median ${fmt(median ?? NaN, 1)} ms, max ${fmt(maxCreate, 1)} ms (each: validated, scheduled, stored as a config version); target < 50 ms: ${maxCreate < 50 ? 'met' : median !== undefined && median < 50 ? 'met at the median, MISSED at the max' : 'MISSED'}`
    )
    console.log(`  each create, in order (ms): ${createMs.map((ms) => fmt(ms, 0)).join(', ')}`)
    console.log(`  scheduler meanwhile: ${fmt(checksPerS, 0)} checks/s (offered ${fmt(offered, 0)})`)
    const { status, body } = await getJson(server, `/api/v1/monitors?limit=1000&tag=created`)
    const created = (body as { items: unknown[] }).items.length
    if (status !== 200 || created !== opts.creates) throw new Error(`expected ${opts.creates} created monitors in the list, got ${created} (HTTP ${status})`)
    await server.stop()
    if (opts.cpuProf) {
      for (const [name, window] of windows) console.log(`  server main thread, self time during ${name}:\n${topFunctions(join(server.dir, 'prof'), server.pid, window)}`)
    }
  } finally {
    await server.stop()
    cleanUp(server, opts)
  }
}

export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args)
  console.log(
    `autocannon runs in this process, the engine in its own (vedette start) and the check target in a third; on ${availableParallelism()} cores they share the CPU, so the server gets what autocannon and the target leave.`
  )
  const target = await startTarget()
  try {
    if (opts.monitors > 0) await statusAndList(opts, target.port)
    if (opts.large > 0) await pagingAndCreates(opts, target.port)
  } finally {
    target.child.kill()
  }
}
