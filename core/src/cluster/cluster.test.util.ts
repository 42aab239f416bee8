import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Test } from 'tap'

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = 'redis://127.0.0.1:6379'
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url))

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** True when PostgreSQL and Redis answer; otherwise skips the file with one line (fails it under CI=true). */
export async function requireServices(t: Test): Promise<boolean> {
  const [pgUp, redisUp] = await Promise.all([reachable(5432), reachable(6379)])
  if (pgUp && redisUp) return true
  const missing = [pgUp ? undefined : 'PostgreSQL on 127.0.0.1:5432', redisUp ? undefined : 'Redis on 127.0.0.1:6379'].filter(Boolean).join(' and ')
  if (process.env.CI === 'true') t.fail(`${missing} not reachable and CI=true: the cluster tests must run`)
  else t.plan(0, `${missing} not reachable: skipping cluster tests (CI=true makes this a failure)`)
  return false
}

/** A schema and a Redis prefix of the test's own; both removed in teardown. */
export function isolation(t: Test): { schema: string; prefix: string } {
  const id = randomBytes(5).toString('hex')
  const schema = `vdt_cluster_${id}`
  const prefix = `vdt-test-${id}:`
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end())
    const { Redis } = await import('ioredis')
    const redis = new Redis(REDIS_URL)
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
    redis.disconnect()
  })
  return { schema, prefix }
}

export interface Node {
  id: string
  port: number
  proc: ChildProcess
  log: () => string
  url: string
}

/** Starts `vedette start` as a child process (a real node: kill -9 works on it). */
export function startNode(t: Test, config: string, id: string, port: number, dataDir: string): Node {
  let out = ''
  const proc = spawn(process.execPath, [CLI, 'start', '--config', config, '--port', String(port), '--data-dir', dataDir, '--log-level', 'info'], {
    env: { ...process.env, NODE_ID: id },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  proc.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)))
  proc.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20000)))
  t.teardown(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  })
  return { id, port, proc, log: () => out, url: `http://127.0.0.1:${port}` }
}

export async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url)
    return res.ok ? ((await res.json()) as T) : undefined
  } catch {
    return undefined
  }
}
