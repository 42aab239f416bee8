/**
 * What each phase of the alerts bench runs on: the switchable target and the
 * webhook receiver in processes of their own, and the engine with its REST
 * API in this process, started the way `vedette start` starts it (a config
 * file read by loadEngineConfig, the config service, the Fastify server),
 * so that the bench can watch every check result (`engine.onResult`) and read
 * the alert store directly.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigService, Engine, createLogger, createServer, describeCatalog, loadEngineConfig } from '@vedette/core'
import { monitorId } from './engine-process.js'
import type { ApiSamples } from './alerts-api-load.js'
import type { ReceivedPost } from './alerts-receiver.js'
import type { TargetCommand } from './alerts-target.js'

/** Epoch ms with sub-millisecond resolution, the receiver's clock too. */
export const epochNow = (): number => performance.timeOrigin + performance.now()

/** Forks one of the bench's helper scripts and waits for the port it prints. */
async function forkHelper(script: string, args: readonly string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(new URL(script, import.meta.url), [...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (b: Buffer) => resolve((JSON.parse(b.toString()) as { port: number }).port))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
  return { child, port }
}

export interface Target {
  port: number
  /** Resolves once the target answers the new way (its acknowledgement arrived), with that moment. */
  set(state: 'down' | 'up', ids: number[] | 'all'): Promise<number>
  stop(): void
}

export async function startTarget(monitors: number): Promise<Target> {
  const { child, port } = await forkHelper('./alerts-target.js', [String(monitors)])
  const waiting = new Map<number, (at: number) => void>()
  child.on('message', (msg: { ack: number }) => {
    waiting.get(msg.ack)?.(epochNow())
    waiting.delete(msg.ack)
  })
  let seq = 0
  return {
    port,
    set: (state, ids) =>
      new Promise((resolve) => {
        const command: TargetCommand = { seq: ++seq, set: state, ids }
        waiting.set(command.seq, resolve)
        child.send(command)
      }),
    stop: () => child.kill()
  }
}

export interface Receiver {
  port: number
  /** Every POST so far, in arrival order. */
  posts: ReceivedPost[]
  /** Called for each POST as it is reported. */
  onPost(fn: (post: ReceivedPost) => void): void
  stop(): void
}

export async function startReceiver(): Promise<Receiver> {
  const { child, port } = await forkHelper('./alerts-receiver.js', [])
  const posts: ReceivedPost[] = []
  const listeners: Array<(post: ReceivedPost) => void> = []
  child.on('message', (post: ReceivedPost) => {
    posts.push(post)
    for (const fn of listeners) fn(post)
  })
  return { port, posts, onPost: (fn) => listeners.push(fn), stop: () => child.kill() }
}

export interface EngineSpec {
  monitors: number
  everyMs: number
  threshold: number
  /** `alerts.groupWindow`; left out: the default (3s). */
  groupWindow: string | undefined
  storage: 'sqlite' | 'memory'
  targetPort: number
  receiverPort: number
}

export interface RunningEngine {
  engine: Engine
  app: Awaited<ReturnType<typeof createServer>>
  /** The API's base URL. */
  base: string
  stop(): Promise<void>
}

const STORAGE = { sqlite: '@vedette/storage-sqlite', memory: '@vedette/storage-memory' } as const

/**
 * One webhook channel to the receiver and one `consecutive` rule over every
 * monitor; N HTTP monitors on the target (keep-alive, as the scheduler bench).
 * Auth is off and the rate limiter on with a ceiling no run reaches.
 */
export async function startEngine(spec: EngineSpec): Promise<RunningEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-alerts-bench-'))
  const every = `${spec.everyMs}ms`
  const document = {
    server: { host: '127.0.0.1', rateLimit: { max: 1_000_000_000, window: '1m' } },
    dataDir: join(dir, 'data'),
    logLevel: 'warn',
    storage: { plugin: STORAGE[spec.storage] },
    engine: { workers: 2, concurrencyPerWorker: 512, maxQueue: 20_000 },
    auth: { enabled: false },
    monitors: Array.from({ length: spec.monitors }, (_, i) => ({
      id: monitorId(i),
      type: 'http',
      interval: every,
      timeout: spec.everyMs < 5000 ? every : '5s',
      tags: ['bench'],
      config: { url: `http://127.0.0.1:${spec.targetPort}/m${i}`, reuseConnection: true }
    })),
    channels: [{ id: 'bench-hook', type: 'webhook', config: { url: `http://127.0.0.1:${spec.receiverPort}/hook` } }],
    alerts: {
      rules: [{ id: 'down', kind: 'consecutive', threshold: spec.threshold, severity: 'critical', channels: ['bench-hook'] }],
      ...(spec.groupWindow === undefined ? {} : { groupWindow: spec.groupWindow })
    }
  }
  const file = join(dir, 'vedette.yaml')
  writeFileSync(file, JSON.stringify(document)) // JSON is YAML
  const loaded = await loadEngineConfig({ file })
  const logger = createLogger({ level: 'warn', pretty: false })
  const engine = await Engine.create({ config: loaded.config, baseDir: loaded.baseDir, logger, catalog: loaded.catalog, configName: loaded.file })
  await engine.openStorage()
  const service = new ConfigService({ engine, plugins: describeCatalog(loaded.catalog), baseDir: loaded.baseDir, logger })
  const monitors = await service.init(loaded.input, loaded.text, loaded.file)
  const app = await createServer(engine, { logger, config: service })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  await engine.start(monitors)
  return {
    engine,
    app,
    base,
    stop: async () => {
      await app.close()
      await engine.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export interface ApiLoad {
  stop(): Promise<ApiSamples>
}

/** Starts the paced status-route client in its own process. */
export async function startApiLoad(base: string, monitors: number, rate: number, concurrency: number): Promise<ApiLoad> {
  const child = fork(new URL('./alerts-api-load.js', import.meta.url), [base, String(monitors), String(rate), String(concurrency)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('error', reject)
  })
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (samples) => resolve(samples as ApiSamples))
        child.send('stop')
      })
  }
}

/** `m000123` → 123. */
export function monitorIndex(id: string): number {
  return Number(id.slice(1))
}
