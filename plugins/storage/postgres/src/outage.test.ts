import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CheckResult, Logger, StorageInstance } from '@vedette/sdk'
import t, { type Test } from 'tap'
import plugin, { type PostgresStorage, type PostgresStorageConfig } from './index.js'
import { context, dropSchemas, PG_HOST, PG_PORT, PG_URL, requirePostgres, sql, testSchema } from './postgres-available.test.util.js'
import { spillPrefix } from './spill-file.js'
import { TcpProxy } from './tcp-proxy.test.util.js'

const SECRET = 'hunter2-outage-secret'
const OUTAGE_MS = 60_000
// The minute-long outage needs more than the suite's 120 s per file.
t.setTimeout(240_000)

/** A logger that keeps every line, to check what an operator would read. */
function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (obj: unknown, msg?: string) => void lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`)
  const logger: Logger = { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger }
  return logger
}

async function waitFor(t: Test, what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) {
      t.fail(`gave up waiting: ${what}`)
      return
    }
    await sleep(50)
  }
}

let serial = 0
const BASE = Date.now()
/** `n` results over five monitors, each with a start time of its own, so every stored row can be matched to one write. */
function results(n: number): CheckResult[] {
  return Array.from({ length: n }, () => {
    const i = serial++
    return { tenantId: 'default', monitorId: `m${i % 5}`, startedAt: BASE + i, status: 'up', latencyMs: 10 + (i % 7), observations: { serial: i } }
  })
}

/** The stored rows as (monitor, start time) → copies, in seq (arrival) order. */
async function stored(schema: string): Promise<{ serials: number[]; copies: Map<string, number> }> {
  const rows = await sql<{ monitor_id: string; at: string; serial: number }>(
    `SELECT monitor_id, at, (observations->>'serial')::int AS serial FROM "${schema}".results ORDER BY seq`
  )
  const copies = new Map<string, number>()
  for (const r of rows) copies.set(`${r.monitor_id}@${r.at}`, (copies.get(`${r.monitor_id}@${r.at}`) ?? 0) + 1)
  return { serials: rows.map((r) => r.serial), copies }
}

if (await requirePostgres(t)) {
  const schemas: string[] = []
  t.teardown(() => dropSchemas(schemas))

  const open = async (proxy: TcpProxy, over: Partial<PostgresStorageConfig>, dir: string, lines: string[], schema = testSchema()) => {
    if (!schemas.includes(schema)) schemas.push(schema)
    const config: PostgresStorageConfig = { url: `postgres://postgres:${SECRET}@127.0.0.1:${proxy.port}/test`, schema, poolSize: 4, ...over }
    const store = (await plugin.create(config, context(dir, recordingLogger(lines)))) as StorageInstance & PostgresStorage
    await store.start()
    return { store, schema }
  }

  // The case: PostgreSQL away for a whole minute while results keep coming.
  t.test('a 60 s outage loses nothing: writes keep resolving, reads answer 503, everything is stored once', async (t) => {
    const proxy = await TcpProxy.start(PG_HOST, PG_PORT)
    t.teardown(() => proxy.close())
    const lines: string[] = []
    const { store, schema } = await open(proxy, {}, t.testdir({}), lines)
    t.teardown(() => store.stop())

    const written: CheckResult[] = []
    let rejected = 0
    const write = async (): Promise<void> => {
      const batch = results(25)
      try {
        await store.writeResults(batch)
        written.push(...batch)
      } catch {
        rejected++
      }
    }
    await write()
    // Keep writing through the cut, so some batches are in flight when it happens.
    let writing = true
    const writer = (async () => {
      while (writing) {
        await write()
        await sleep(50)
      }
    })()
    await sleep(200)
    await proxy.cut()
    await sleep(OUTAGE_MS)
    t.ok(store.buffered.memory > 0, `results written during the outage are held in memory (${store.buffered.memory})`)
    await t.rejects(store.queryResults('default', 'm0'), { code: 'VDT_ERR_POSTGRES_UNAVAILABLE', statusCode: 503 }, 'a read that cannot be served is a 503')
    const err = await store.latestResults('default').catch((e: Error) => e)
    t.notMatch(String((err as Error).message), SECRET, 'the error does not carry the password')

    await proxy.restore()
    await sleep(300)
    writing = false
    await writer
    await waitFor(t, 'the buffer to drain', () => store.buffered.memory === 0 && store.buffered.spilled === 0)

    t.equal(rejected, 0, 'no writeResults call rejected')
    const { copies } = await stored(schema)
    t.equal(copies.size, written.length, `every one of the ${written.length} results is stored`)
    t.ok([...copies.values()].every((n) => n === 1), 'and none twice')
    const latest = await store.latestResults('default')
    const newest = written.filter((r) => r.monitorId === 'm0').reduce((a, b) => (b.startedAt > a.startedAt ? b : a))
    t.equal(latest.get('m0')?.startedAt, newest.startedAt, 'the latest result is the newest one written')
    t.ok(lines.some((l) => /buffering check results/.test(l)), 'the outage is logged')
    t.notOk(lines.some((l) => l.includes(SECRET)), 'no log line contains the password')
  })

  t.test('beyond bufferLimit results spill to disk and are replayed in order, file deleted after', async (t) => {
    const proxy = await TcpProxy.start(PG_HOST, PG_PORT)
    t.teardown(() => proxy.close())
    const dir = t.testdir({})
    const spillDir = join(dir, 'spill')
    const lines: string[] = []
    const { store, schema } = await open(proxy, { bufferLimit: 40, spillDir, batchSize: 15 }, dir, lines)
    t.teardown(() => store.stop())

    const written: CheckResult[] = []
    const first = results(10)
    await store.writeResults(first)
    written.push(...first)
    await proxy.cut()
    for (let i = 0; i < 10; i++) {
      const batch = results(10)
      await store.writeResults(batch)
      written.push(...batch)
    }
    t.strictSame(store.buffered, { memory: 40, spilled: 60 }, '40 results in memory, the other 60 on disk')
    const files = readdirSync(spillDir)
    t.equal(files.length, 1, 'one spill file')
    const lineCount = readFileSync(join(spillDir, files[0] as string), 'utf8').trim().split('\n').length
    t.equal(lineCount, 6, 'one JSON line per spilled batch')

    await proxy.restore()
    await waitFor(t, 'the buffer to drain', () => store.buffered.memory === 0 && store.buffered.spilled === 0)
    t.strictSame(readdirSync(spillDir), [], 'the spill file is deleted once replayed')
    const { serials, copies } = await stored(schema)
    t.ok([...copies.values()].every((n) => n === 1), 'nothing stored twice')
    t.strictSame(serials, written.map((r) => r.observations?.serial), 'every result stored, in the order it was written (memory first, then the file)')
  })

  t.test('stop() during an outage hands the backlog to a spill file that the next start replays', async (t) => {
    const proxy = await TcpProxy.start(PG_HOST, PG_PORT)
    t.teardown(() => proxy.close())
    const dir = t.testdir({})
    const spillDir = join(dir, 'spill')
    const lines: string[] = []
    const { store, schema } = await open(proxy, { spillDir, stopTimeoutMs: 300 }, dir, lines)
    await proxy.cut()
    const written = results(30)
    for (let i = 0; i < 30; i += 10) await store.writeResults(written.slice(i, i + 10))
    await store.stop()
    const files = readdirSync(spillDir)
    t.equal(files.length, 1, 'stop() wrote the buffered results to one file')
    t.match(files[0], /\.orphan\./, 'marked as handed on')
    t.ok(lines.some((l) => /still unreachable at stop/.test(l)), 'and said so in the log')

    await proxy.restore()
    const next = await open(proxy, { spillDir }, dir, lines, schema)
    t.teardown(() => next.store.stop())
    await waitFor(t, 'the spill file to be replayed', () => next.store.buffered.spilled === 0 && !existsSync(join(spillDir, files[0] as string)))
    await waitFor(t, 'the spill directory to empty', () => readdirSync(spillDir).length === 0)
    const { serials, copies } = await stored(schema)
    t.strictSame(serials, written.map((r) => r.observations?.serial), 'all 30 results are stored after the restart, in order')
    t.ok([...copies.values()].every((n) => n === 1), 'once each')
  })

  t.test('a spill file left by a crash is replayed at start, and replaying it twice stores it once', async (t) => {
    const dir = t.testdir({})
    const spillDir = join(dir, 'spill')
    const schema = testSchema()
    schemas.push(schema)
    const batch = { id: '2f1c7a4e-6d0b-4a53-9c1e-0d6f1b2a3c4d', results: results(12) }
    // What a process killed in the middle of a replay leaves: its file, under a pid that is gone.
    const leave = (): void => {
      mkdirSync(spillDir, { recursive: true })
      writeFileSync(join(spillDir, `${spillPrefix(PG_URL, schema)}.999999999.000000000000001-000001.jsonl`), JSON.stringify(batch) + '\n')
    }
    for (const round of [1, 2]) {
      leave()
      const store = await plugin.create({ url: PG_URL, schema, spillDir, poolSize: 2 }, context(dir))
      await store.start()
      await waitFor(t, 'the spill directory to empty', () => readdirSync(spillDir).length === 0)
      await store.stop()
      const { serials, copies } = await stored(schema)
      t.strictSame(serials, batch.results.map((r) => r.observations?.serial), `round ${round}: the batch is stored`)
      t.ok([...copies.values()].every((n) => n === 1), `round ${round}: once`)
    }
  })
}
