/**
 * The engine under test as users run it: `vedette start` in its own process
 * (a process of its own can be CPU-profiled and its CPU told apart from the
 * load generator's), with a generated config, and an admin key made by
 * `vedette keys create`.
 */
import { execFile, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)
/** The vedette CLI of the installed @vedette/core (its package.json is exported, its bin is named there). */
const CLI = join(dirname(require.resolve('@vedette/core/package.json')), (require('@vedette/core/package.json') as { bin: { vedette: string } }).bin.vedette)
const execFileAsync = promisify(execFile)

/** A port nobody listens on right now: the CLI takes --port, and logs its address only at info. */
async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as AddressInfo
  await new Promise((r) => srv.close(r))
  return port
}

export interface Server {
  base: string
  pid: number
  dir: string
  /** `authorization: Bearer …` when auth is on. */
  headers: Record<string, string>
  authNote: string
  readyS: number
  stop(): Promise<void>
}

export interface ServerSpec {
  monitors: number
  everyMs: number
  targetPort: number
  auth: boolean
  cpuProf: boolean
}

/**
 * Writes a config (JSON is YAML) with N HTTP monitors against the target and
 * runs `vedette start` on it. The rate limiter stays on, as in a real install,
 * with a ceiling no run reaches: its per-request cost counts, its 429s don't.
 */
export async function startServer(spec: ServerSpec): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-api-bench-'))
  const file = join(dir, 'vedette.yaml')
  const every = `${spec.everyMs / 1000}s`
  const monitors = Array.from({ length: spec.monitors }, (_, i) => ({
    id: monitorId(i),
    type: 'http',
    interval: every,
    // A run may not outlast its interval (the config refuses it).
    timeout: spec.everyMs < 5000 ? every : '5s',
    tags: ['bench'],
    config: { url: `http://127.0.0.1:${spec.targetPort}/m${i}`, reuseConnection: true }
  }))
  const document = {
    server: { host: '127.0.0.1', rateLimit: { max: 1_000_000_000, window: '1m' } },
    dataDir: join(dir, 'data'),
    logLevel: 'warn',
    storage: { plugin: '@vedette/storage-sqlite' },
    // The same pool sizes as the scheduler bench.
    engine: { workers: 2, concurrencyPerWorker: 512, maxQueue: 20_000 },
    auth: spec.auth
      ? { enabled: true, plugins: [{ plugin: '@vedette/auth-apikey', config: { bootstrapAdmin: false } }] }
      : { enabled: false },
    monitors
  }
  writeFileSync(file, JSON.stringify(document))
  const port = await freePort()
  const log = openSync(join(dir, 'server.log'), 'a')
  const t0 = performance.now()
  const child = spawn(
    process.execPath,
    [...(spec.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`] : []), CLI, 'start', '--config', file, '--port', String(port), '--log-format', 'json'],
    { stdio: ['ignore', log, log] }
  )
  closeSync(log)
  let exited: number | null | undefined
  const exit = new Promise<void>((r) => child.once('exit', (code) => ((exited = code), r())))
  const base = `http://127.0.0.1:${port}`
  const fail = (why: string): never => {
    child.kill('SIGKILL')
    const log = readFileSync(join(dir, 'server.log'), 'utf8').slice(-3000)
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`${why}; server log:\n${log}`)
  }
  for (;;) {
    if (exited !== undefined) fail(`vedette start exited with ${exited}`)
    if (performance.now() - t0 > 600_000) fail('not ready after 10 minutes')
    const ready = await fetch(`${base}/ready`).then((r) => r.status, () => 0)
    if (ready === 200) break
    await sleep(200)
  }
  const readyS = (performance.now() - t0) / 1000
  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.kill('SIGTERM') // graceful: drain, flush, and (with --cpu-prof) write the profile
      await Promise.race([exit, sleep(60_000).then(() => child.kill('SIGKILL'))])
    }
  }
  const server: Server = { base, pid: child.pid ?? 0, dir, headers: {}, authNote: 'auth OFF (--auth off)', readyS, stop }
  if (spec.auth) {
    try {
      server.headers = { authorization: `Bearer ${await createAdminKey(file, base)}` }
      server.authNote = 'auth ON: @vedette/auth-apikey, admin key sent as authorization: Bearer (verified keys cached by the plugin)'
    } catch (err) {
      await stop()
      rmSync(dir, { recursive: true, force: true })
      process.stderr.write(`  auth-apikey does not work here (${(err as Error).message}); running with auth OFF\n`)
      const open = await startServer({ ...spec, auth: false })
      open.authNote = `auth OFF: @vedette/auth-apikey failed (${(err as Error).message})`
      return open
    }
  }
  return server
}

/**
 * An admin key made by the plugin's keys.create (`vedette keys create` on the
 * running engine's storage), proven to be required: 401 without it, 200 with it.
 */
export async function createAdminKey(file: string, base: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [CLI, 'keys', 'create', '--name', 'api-bench', '--role', 'admin', '--config', file])
  const key = stdout.trim().split('\n').pop() ?? ''
  const without = await fetch(`${base}/api/v1/monitors?limit=1`)
  const withKey = await fetch(`${base}/api/v1/monitors?limit=1`, { headers: { authorization: `Bearer ${key}` } })
  if (without.status !== 401 || withKey.status !== 200) throw new Error(`expected 401 without the key and 200 with it, got ${without.status} and ${withKey.status}`)
  return key
}

/** Zero-padded, so that the API's id order is the numeric order. */
export function monitorId(i: number): string {
  return `m${String(i).padStart(6, '0')}`
}
