import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Sqlite from 'better-sqlite3'
import { silentLogger, type CheckResult, type Logger, type PluginContext, type StorageInstance, type TimeRangeQuery } from '@vedette/sdk'
import { storageConformance, type StorageFactoryOptions } from '@vedette/sdk/testing'
import t from 'tap'
import { resolveConfig, SqliteStorage, type StagingOptions } from './index.js'

const T0 = Date.UTC(2025, 0, 1)
const SECOND = 1000
const context = (dir: string): PluginContext => ({
  name: '@vedette/storage-sqlite',
  engineVersion: '0.1.0',
  dataDir: dir,
  resolvePath: (p) => join(dir, p),
  logger: silentLogger
})

/** A store on `path` whose merges run when the test says: by default never by count or timer, only at maintain() and stop(). */
function open(path: string, staging: Partial<StagingOptions> = {}, config: Record<string, unknown> = {}, logger: Logger = silentLogger): SqliteStorage {
  return new SqliteStorage({
    ...resolveConfig({ path, ...config }, context(dirname(path))),
    name: '@vedette/storage-sqlite',
    logger,
    staging: { mergeAtRows: 1e9, chunkRows: 5, intervalMs: 3_600_000, ...staging }
  })
}

// Each result carries a serial number, so equal start times can be told apart.
let serial = 0
const result = (monitorId: string, startedAt: number, tenantId = 'default'): CheckResult => ({
  tenantId,
  monitorId,
  startedAt,
  status: 'up',
  latencyMs: 1 + (serial % 7),
  observations: { n: serial++ }
})
const serials = (rs: readonly CheckResult[]): number[] => rs.map((r) => r.observations?.n as number)
/** The order the store must return: by start time, equal start times in arrival (serial) order. */
const sorted = (rs: readonly CheckResult[], order: 'asc' | 'desc'): number[] => {
  const asc = [...rs].sort((a, b) => a.startedAt - b.startedAt || serials([a])[0]! - serials([b])[0]!)
  return serials(order === 'asc' ? asc : asc.reverse())
}

/** Rows in each table, read by a second connection: where the results are now. */
function tables(path: string): { staged: number; merged: number } {
  const db = new Sqlite(path, { readonly: true })
  try {
    const count = (table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
    return { staged: count('results_staged'), merged: count('results') }
  } finally {
    db.close()
  }
}

/** Every page of a monitor's results, `limit` at a time. */
async function pages(s: StorageInstance, monitorId: string, query: TimeRangeQuery, tenantId = 'default'): Promise<number[]> {
  const out: number[] = []
  let cursor = query.cursor
  do {
    const page = await s.queryResults(tenantId, monitorId, { ...query, cursor })
    out.push(...serials(page.items))
    cursor = page.nextCursor
  } while (cursor !== undefined)
  return out
}

/** What a process that dies now leaves on disk: the file and its WAL as they are. */
function crashCopy(path: string, to: string): string {
  mkdirSync(to, { recursive: true })
  const copy = join(to, 'vedette.db')
  copyFileSync(path, copy)
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`)
  return copy
}

t.test('a cursor holds across a merge, and equal start times keep arrival order in and across both tables', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const s = open(path)
  await s.start()
  t.teardown(() => s.stop())
  const mine: CheckResult[] = []
  let total = 0
  const write = async (batch: CheckResult[]): Promise<void> => {
    await s.writeResults(batch)
    mine.push(...batch.filter((r) => r.monitorId === 'a' && r.tenantId === 'default'))
    total += batch.length
  }
  // 'a' twice at 3 s in one batch and once more in the next; 'b' and tenant-b's 'a' share every start time.
  const first: CheckResult[] = []
  for (let i = 0; i < 10; i++) first.push(result('a', T0 + i * SECOND), result('b', T0 + i * SECOND), result('a', T0 + i * SECOND, 'tenant-b'))
  first.push(result('a', T0 + 3 * SECOND))
  await write(first)
  await write([result('a', T0 + 3 * SECOND), result('a', T0 + 7 * SECOND), result('a', T0 + 7 * SECOND)])
  t.strictSame(tables(path), { staged: 34, merged: 0 }, 'written results are staged')
  t.strictSame(await pages(s, 'a', { order: 'asc', limit: 4 }), sorted(mine, 'asc'), 'staged: asc pages')
  t.strictSame(await pages(s, 'a', { limit: 1 }), sorted(mine, 'desc'), 'staged: desc pages of one')

  for (const order of ['asc', 'desc'] as const) {
    if (order === 'desc') await write([result('a', T0 + 20 * SECOND)]) // staged again, for this round
    const head = await s.queryResults('default', 'a', { order, limit: 5 })
    await s.maintain(T0 + 3_600_000) // merges before its pass
    t.strictSame(tables(path), { staged: 0, merged: total }, `${order}: maintain merged everything`)
    const rest = await pages(s, 'a', { order, limit: 5, cursor: head.nextCursor })
    t.strictSame([...serials(head.items), ...rest], sorted(mine, order), `${order}: a page read staged, the rest merged: each result once, in order`)
  }

  // Now some merged, some staged: the same start times in both tables.
  await write([result('a', T0 + 7 * SECOND), result('a', T0 + 5 * SECOND), result('a', T0 + 21 * SECOND)])
  t.equal(tables(path).staged, 3, 'the new ones are staged')
  for (const order of ['asc', 'desc'] as const) {
    t.strictSame(await pages(s, 'a', { order, limit: 1 }), sorted(mine, order), `${order}: pages of one across both tables`)
    t.strictSame(await pages(s, 'a', { order, limit: 3, from: T0 + 5 * SECOND, to: T0 + 8 * SECOND }), sorted(mine.filter((r) => r.startedAt >= T0 + 5 * SECOND && r.startedAt < T0 + 8 * SECOND), order), `${order}: a range`)
  }
  t.equal((await s.queryResults('default', 'b')).items.length, 10, 'other monitors keep their own')
  t.strictSame(await pages(s, 'a', { order: 'asc' }, 'tenant-b'), sorted(first.filter((r) => r.tenantId === 'tenant-b'), 'asc'), 'and other tenants')
  const window = await s.uptime('default', 'a', T0, T0 + 60 * SECOND)
  t.equal(window.checks, mine.length, 'uptime counts staged and merged results')
  t.equal((await s.latestResults('default', ['a'])).get('a')?.startedAt, T0 + 21 * SECOND, 'latest result')
})

t.test('a merge moves a chunk of monitors per write: every read in between sees each result once', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const s = open(path, { mergeAtRows: 1, chunkRows: 4 })
  await s.start()
  t.teardown(() => s.stop())
  const written: CheckResult[] = []
  let mixed = 0
  for (let round = 0; round < 12; round++) {
    // Round 6 repeats round 5's start times: ties between staged and merged rows.
    const at = T0 + Math.min(round, round === 6 ? 5 : round) * 30 * SECOND
    const batch = Array.from({ length: 8 }, (_, m) => result(`m${m}`, at))
    await s.writeResults(batch)
    written.push(...batch)
    const where = tables(path)
    if (where.staged > 0 && where.merged > 0) mixed++
    for (let m = 0; m < 8; m += 3) {
      const own = written.filter((r) => r.monitorId === `m${m}`)
      t.strictSame(await pages(s, `m${m}`, { order: 'asc', limit: 2 }), sorted(own, 'asc'), `round ${round}, m${m}`)
    }
  }
  t.ok(mixed > 3, `reads happened while rows were in both tables (${mixed} rounds)`)
  await s.stop()
  t.strictSame(tables(path), { staged: 0, merged: 96 }, 'stop() merged the rest')
})

t.test('a crash leaves staged rows readable after reopening, also in the middle of a merge', async (t) => {
  const dir = t.testdir({})
  const path = join(dir, 'live', 'vedette.db')
  // A merge starts at 60 staged rows and moves one chunk per write.
  const live = open(path, { mergeAtRows: 60, chunkRows: 5 })
  await live.start()
  const all: CheckResult[] = []
  const write = async (batch: CheckResult[]): Promise<void> => {
    await live.writeResults(batch)
    all.push(...batch)
  }
  for (let round = 0; round < 5; round++) await write(Array.from({ length: 10 }, (_, m) => result(`m${m}`, T0 + round * 30 * SECOND)))
  const allStaged = crashCopy(path, join(dir, 'crash-1'))
  const beforeCrash1 = [...all]
  // The 60th row starts a merge: its first chunk moves m0's six rows (more than 5: a monitor is never split).
  await write([result('m0', T0 + 4 * 30 * SECOND), ...Array.from({ length: 9 }, (_, m) => result(`m${m + 1}`, T0 + 5 * 30 * SECOND))])
  const halfMerged = crashCopy(path, join(dir, 'crash-2'))
  await live.stop()

  t.strictSame(tables(allStaged), { staged: 50, merged: 0 }, 'crash 1: everything staged')
  const one = open(allStaged)
  await one.start()
  for (let m = 0; m < 10; m++) {
    t.strictSame(await pages(one, `m${m}`, { order: 'asc', limit: 2 }), sorted(beforeCrash1.filter((r) => r.monitorId === `m${m}`), 'asc'), `crash 1: m${m} reads back`)
  }
  t.strictSame(tables(allStaged), { staged: 50, merged: 0 }, 'opening does not merge')
  // A result at a start time that only a staged row has yet: it must sort after it.
  const tie = result('m3', T0 + 4 * 30 * SECOND)
  await one.writeResults([tie])
  const m3 = [...beforeCrash1.filter((r) => r.monitorId === 'm3'), tie]
  t.strictSame(await pages(one, 'm3', { order: 'desc', limit: 1 }), sorted(m3, 'desc'), 'crash 1: the tie sorts after the staged row')
  await one.stop()
  t.strictSame(tables(allStaged), { staged: 0, merged: 51 }, 'crash 1: stop() merged all of it')

  const where = tables(halfMerged)
  t.strictSame(where, { staged: 54, merged: 6 }, "crash 2: one chunk moved (m0's rows), the rest still staged")
  const two = open(halfMerged)
  await two.start()
  for (const m of ['m0', 'm1']) {
    t.strictSame(await pages(two, m, { order: 'asc', limit: 4 }), sorted(all.filter((r) => r.monitorId === m), 'asc'), `crash 2: ${m} once each`)
  }
  t.equal((await two.uptime('default', 'm0', T0, T0 + 3_600_000)).checks, 6, 'crash 2: uptime counts them once')
  await two.stop()
  t.strictSame(tables(halfMerged), { staged: 0, merged: 60 }, 'crash 2: stop() merged the rest')
})

t.test('deleteMonitor removes staged and merged rows alike', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const s = open(path)
  await s.start()
  t.teardown(() => s.stop())
  await s.writeResults([result('gone', T0), result('kept', T0)])
  await s.maintain(T0 + 3_600_000)
  await s.writeResults([result('gone', T0 + SECOND), result('kept', T0 + SECOND)])
  t.strictSame(tables(path), { staged: 2, merged: 2 })
  t.equal(await s.deleteMonitor('default', 'gone'), true)
  t.strictSame(await s.queryResults('default', 'gone'), { items: [] }, 'nothing left to read')
  t.strictSame(tables(path), { staged: 1, merged: 1 }, 'both tables lost its rows')
  // Written again, it starts afresh: seq 0 at a start time it had before.
  const again = result('gone', T0 + SECOND)
  await s.writeResults([again])
  t.strictSame(serials((await s.queryResults('default', 'gone')).items), serials([again]))
  t.equal((await s.queryResults('default', 'kept')).items.length, 2)
})

t.test('a merge that fails fails no write: the rows stay staged and readable, and a later merge moves them', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const errors: string[] = []
  const logger: Logger = { ...silentLogger, error: (_obj, msg) => void errors.push(msg ?? '') }
  const s = open(path, { mergeAtRows: 1 }, {}, logger)
  await s.start()
  t.teardown(() => s.stop())
  // Another connection makes every insert into results fail, as a full disk would.
  const other = new Sqlite(path)
  other.exec("CREATE TRIGGER refuse BEFORE INSERT ON results BEGIN SELECT RAISE(ABORT, 'no space left'); END")
  const batch = Array.from({ length: 12 }, (_, i) => result(`m${i % 3}`, T0 + i * SECOND))
  await s.writeResults(batch.slice(0, 6))
  await s.writeResults(batch.slice(6))
  t.strictSame(tables(path), { staged: 12, merged: 0 }, 'both writes resolved and are stored')
  t.equal(errors.length, 1, 'the failed merge is logged once: the next write did not retry it')
  t.match(errors[0], /merging staged results failed/)
  t.strictSame(await pages(s, 'm1', { order: 'asc', limit: 3 }), sorted(batch.filter((r) => r.monitorId === 'm1'), 'asc'), 'and read back')
  other.exec('DROP TRIGGER refuse')
  other.close()
  await s.stop()
  t.strictSame(tables(path), { staged: 0, merged: 12 }, 'stop() merged them')
})

t.test('a quiet store merges staged rows on its timer', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const s = open(path, { intervalMs: 20 })
  await s.start()
  t.teardown(() => s.stop())
  await s.writeResults(Array.from({ length: 30 }, (_, i) => result(`m${i % 7}`, T0 + i * SECOND)))
  // Polls until the timer has run; the bound only keeps a broken timer from hanging the test.
  for (let i = 0; i < 250 && tables(path).staged > 0; i++) await sleep(20)
  t.strictSame(tables(path), { staged: 0, merged: 30 }, 'all merged without a write, maintain() or stop()')
  t.equal((await s.queryResults('default', 'm0')).items.length, 5)
})

// The whole contract again with a merge step after every write and the timer
// merging in the background, so every call meets rows half staged, half merged.
const dir = mkdtempSync(join(tmpdir(), 'vedette-sqlite-merging-'))
let files = 0
let lastPath = ''
const merging = (options?: StorageFactoryOptions): SqliteStorage => {
  const p = options?.retention
  const retention = p === undefined ? undefined : { raw: p.rawMs, minute: p.minuteMs, hour: p.hourMs, day: p.dayMs }
  return open(lastPath, { mergeAtRows: 1, chunkRows: 7, intervalMs: 5 }, retention === undefined ? {} : { retention })
}
await storageConformance(
  t,
  {
    async create(options) {
      lastPath = join(dir, `store-${++files}`, 'vedette.db')
      return merging(options)
    },
    async reopen(options) {
      return merging(options)
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true })
    }
  },
  { name: 'sqlite, merging as it goes' }
)
