/**
 * What the cluster bench runs on: a PostgreSQL schema and a Redis prefix of
 * its own (removed at the end), one config file every node starts from, the
 * nodes as `vedette start` child processes (so kill -9 is real), and the
 * judging target in a process of its own.
 */
import { fork, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import pg from 'pg'
import { monitorId } from './engine-process.js'
import type { MarkReport, TargetCounters, TargetRequest, WindowReport } from './cluster-target.js'

const require = createRequire(import.meta.url)
const CLI = join(dirname(require.resolve('@vedette/core/package.json')), (require('@vedette/core/package.json') as { bin: { vedette: string } }).bin.vedette)

export const PG_URL = process.env.VEDETTE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = process.env.VEDETTE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Wall-clock ms: the target, the receiver and the nodes' logs stamp with the same clock. */
export const epochNow = (): number => Date.now()

/** A fresh schema and Redis prefix per run, and the cleanup that removes both. */
export function isolation(): { schema: string; prefix: string; cleanup(): Promise<void> } {
  const id = randomBytes(5).toString('hex')
  const schema = `vdt_cluster_bench_${id}`
  const prefix = `vdt-cluster-bench-${id}:`
  const cleanup = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end())
    const redis = new Redis(REDIS_URL)
    try {
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
        if (keys.length > 0) await redis.del(...keys)
        cursor = next
      } while (cursor !== '0')
    } finally {
      redis.disconnect()
    }
  }
  return { schema, prefix, cleanup }
}

export interface ConfigSpec {
  dir: string
  monitors: number
  everyMs: number
  workers: number
  targetPort: number
  receiverPort: number
  schema: string
  prefix: string
}

/**
 * The one config file all nodes start from (JSON is YAML): PostgreSQL storage,
 * Redis coordination with `nodeId: ${NODE_ID}` (each node's environment),
 * auth off, N keep-alive HTTP monitors, a webhook channel to the receiver and
 * one `consecutive` rule (threshold 2) over every monitor.
 */
export function writeConfig(spec: ConfigSpec): string {
  const every = `${spec.everyMs / 1000}s`
  const document = {
    server: { host: '127.0.0.1', rateLimit: { max: 1_000_000_000, window: '1m' } },
    logLevel: 'info',
    storage: { plugin: 'postgres', config: { url: PG_URL, schema: spec.schema } },
    cluster: { plugin: 'redis', nodeId: '${NODE_ID}', config: { url: REDIS_URL, prefix: spec.prefix } },
    engine: { workers: spec.workers, concurrencyPerWorker: 512, maxQueue: 20_000 },
    auth: { enabled: false },
    monitors: Array.from({ length: spec.monitors }, (_, i) => ({
      id: monitorId(i),
      type: 'http',
      interval: every,
      timeout: spec.everyMs < 5000 ? every : '5s',
      config: { url: `http://127.0.0.1:${spec.targetPort}/m${i}`, reuseConnection: true }
    })),
    channels: [{ id: 'bench-hook', type: 'webhook', config: { url: `http://127.0.0.1:${spec.receiverPort}/hook` } }],
    alerts: { rules: [{ id: 'down', kind: 'consecutive', threshold: 2, severity: 'critical', channels: ['bench-hook'] }] }
  }
  const file = join(spec.dir, 'vedette.yaml')
  writeFileSync(file, JSON.stringify(document))
  return file
}

export async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

export async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
    return res.ok ? ((await res.json()) as T) : undefined
  } catch {
    return undefined
  }
}

/** Polls `read` every 250 ms until `ok`; throws after `limitMs` with the last value. */
export async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, what: string, limitMs: number): Promise<T> {
  const until = Date.now() + limitMs
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > until) throw new Error(`gave up after ${limitMs / 1000} s waiting for ${what}: ${JSON.stringify(v)?.slice(0, 400)}`)
    await sleep(250)
  }
}

export interface ClusterView {
  mode: string
  nodeId: string
  leader?: string
  members: Array<{ nodeId: string; monitors?: number; leader: boolean }>
}

export interface ClusterNode {
  id: string
  base: string
  pid: number
  spawnedAt: number
  /** Seconds from spawn until /ready answered 200. */
  readyS: number
  logFile: string
  alive(): boolean
  kill9(): number
  /** The node's log as JSON lines (pino), unparseable lines dropped. */
  logLines(): Array<Record<string, unknown>>
  /** Sum of `vedette_checks_total` over its labels. */
  checksTotal(): Promise<number>
  stop(): Promise<void>
}

/** `vedette start` as a child process with NODE_ID set, waited for until /ready. */
export async function startNode(id: string, config: string, dir: string): Promise<ClusterNode> {
  const port = await freePort()
  const logFile = join(dir, `node-${id}.log`)
  const log = openSync(logFile, 'a')
  const spawnedAt = epochNow()
  const child: ChildProcess = spawn(process.execPath, [CLI, 'start', '--config', config, '--port', String(port), '--data-dir', join(dir, `data-${id}`), '--log-format', 'json'], {
    env: { ...process.env, NODE_ID: id },
    stdio: ['ignore', log, log]
  })
  closeSync(log)
  let exited: string | undefined
  const exit = new Promise<void>((r) => child.once('exit', (code, signal) => ((exited = signal ?? String(code)), r())))
  const base = `http://127.0.0.1:${port}`
  let progressAt = epochNow()
  for (;;) {
    if (exited !== undefined) throw new Error(`node ${id} exited (${exited}) before it was ready; log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`)
    // The CLI's last word when start failed: `vedette: VDT_ERR_…`. The process may stay up (timers, server), never ready.
    const fatal = /^vedette: .*$/m.exec(readFileSync(logFile, 'utf8'))
    if (fatal !== null || epochNow() - spawnedAt > 600_000) {
      child.kill('SIGKILL')
      throw new Error(`node ${id} ${fatal !== null ? `failed to start but did not exit: ${fatal[0]}` : 'not ready after 10 minutes'}; log tail:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
    }
    if ((await fetch(`${base}/ready`).then((r) => r.status, () => 0)) === 200) break
    if (epochNow() - progressAt > 15_000) {
      progressAt = epochNow()
      process.stdout.write(`  … ${id} not ready yet after ${((progressAt - spawnedAt) / 1000).toFixed(0)} s\n`)
    }
    await sleep(250)
  }
  const readyS = (epochNow() - spawnedAt) / 1000
  return {
    id,
    base,
    pid: child.pid ?? 0,
    spawnedAt,
    readyS,
    logFile,
    alive: () => exited === undefined,
    kill9: () => {
      const at = epochNow()
      child.kill('SIGKILL')
      return at
    },
    logLines: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>]
          } catch {
            return []
          }
        }),
    checksTotal: async () => {
      const text = await fetch(`${base}/metrics`).then((r) => r.text(), () => '')
      let sum = 0
      for (const m of text.matchAll(/^vedette_checks_total(?:\{[^}]*\})? (\S+)$/gm)) sum += Number(m[1])
      return sum
    },
    stop: async () => {
      if (exited !== undefined) return
      child.kill('SIGTERM')
      await Promise.race([exit, sleep(30_000).then(() => child.kill('SIGKILL'))])
    }
  }
}

export interface Target {
  port: number
  pid: number
  counters(): Promise<TargetCounters>
  /** `down`: the first `failing` monitors (default all) answer 500 from now on. */
  set(state: 'down' | 'up', failing?: number): Promise<number>
  mark(): Promise<number>
  sinceMark(): Promise<MarkReport>
  windowStart(): Promise<number>
  windowStop(): Promise<WindowReport>
  stop(): void
}

export async function startTarget(monitors: number, everyMs: number): Promise<Target> {
  const child = fork(new URL('./cluster-target.js', import.meta.url), [String(monitors), String(everyMs)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    serialization: 'advanced'
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (b: Buffer) => resolve((JSON.parse(b.toString()) as { port: number }).port))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`cluster-target exited with ${code}`)))
  })
  const waiting = new Map<number, (answer: unknown) => void>()
  child.on('message', (msg: { seq: number; answer: unknown }) => {
    waiting.get(msg.seq)?.(msg.answer)
    waiting.delete(msg.seq)
  })
  let seq = 0
  const ask = <T>(cmd: TargetRequest['cmd'], failing?: number): Promise<T> =>
    new Promise((resolve) => {
      const request: TargetRequest = { seq: ++seq, cmd, ...(failing === undefined ? {} : { failing }) }
      waiting.set(request.seq, (a) => resolve(a as T))
      child.send(request)
    })
  return {
    port,
    pid: child.pid ?? 0,
    counters: () => ask('counters'),
    set: async (state, failing) => (await ask<{ at: number }>(state, failing)).at,
    mark: async () => (await ask<{ at: number }>('mark')).at,
    sinceMark: () => ask('since-mark'),
    windowStart: async () => (await ask<{ at: number }>('window-start')).at,
    windowStop: () => ask('window-stop'),
    stop: () => child.kill()
  }
}
