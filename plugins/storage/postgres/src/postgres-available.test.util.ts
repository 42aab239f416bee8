import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import pg from 'pg'
import { silentLogger, type PluginContext } from '@vedette/sdk'
import type { Test } from 'tap'

/** The server the tests use: local, trust auth. */
export const PG_HOST = '127.0.0.1'
export const PG_PORT = 5432
export const PG_URL = `postgres://postgres@${PG_HOST}:${PG_PORT}/test`
export const SKIP_MESSAGE = `PostgreSQL not reachable on ${PG_HOST}:${PG_PORT}: skipping postgres tests (CI=true makes this a failure)`

/** True when something accepts TCP connections on 127.0.0.1:5432 within `timeoutMs`. */
export function postgresReachable(timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: PG_HOST, port: PG_PORT })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Call at the top of a test file: true when PostgreSQL answers. Otherwise the
 * file is skipped with one line saying why, or, with CI=true, fails: CI must
 * not go green because its database was missing.
 */
export async function requirePostgres(t: Test): Promise<boolean> {
  if (await postgresReachable()) return true
  if (process.env.CI === 'true') t.fail(`PostgreSQL not reachable on ${PG_HOST}:${PG_PORT} and CI=true: start it (trust auth, database test)`)
  else t.plan(0, SKIP_MESSAGE)
  return false
}

/** A schema name of its own for one test: `vdt_test_<random>`. */
export function testSchema(): string {
  return `vdt_test_${randomBytes(6).toString('hex')}`
}

/** Drops the schemas a test made (teardown). */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

/** Runs one query on its own connection (for looking at tables the way an operator would). */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end()
  }
}

export function context(dataDir: string, logger = silentLogger): PluginContext {
  return { name: '@vedette/storage-postgres', engineVersion: '0.1.0', dataDir, resolvePath: (p) => join(dataDir, p), logger }
}
