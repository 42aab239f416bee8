import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { silentLogger, type CheckResult, type PluginContext } from '@vedette/sdk'
import t from 'tap'
import plugin from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'vedette-sqlite-scale-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const ctx: PluginContext = { name: '@vedette/storage-sqlite', engineVersion: '0.1.0', dataDir: dir, resolvePath: (p) => join(dir, p), logger: silentLogger }

/** Deterministic pseudo-random numbers (mulberry32), so the figure is stable run to run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** A typical HTTP result: up, five phase timings as performance.now() differences, two small observations. */
function typical(rand: () => number, monitorId: string, startedAt: number): CheckResult {
  const dns = 0.5 + rand() * 3
  const connect = 2 + rand() * 25
  const tls = 8 + rand() * 50
  const ttfb = 15 + rand() * 250
  const transfer = 0.1 + rand() * 4
  return {
    tenantId: 'default',
    monitorId,
    startedAt,
    status: 'up',
    latencyMs: dns + connect + tls + ttfb + transfer + rand() * 0.5,
    phases: { dns, connect, tls, ttfb, transfer },
    observations: { statusCode: 200, redirects: 0 }
  }
}

t.test('a typical HTTP result costs under 150 bytes on disk', async (t) => {
  const path = join(dir, 'footprint.db')
  const store = await plugin.create({ path }, ctx)
  await store.start()
  // 100 monitors checked every 30 s for 200 rounds, flushed the way the engine
  // does: batches of 500 interleaving all monitors, so rows land all over the
  // b-tree (not appended in key order, which would flatter the page fill).
  const rand = random(42)
  const monitors = 100
  const rounds = 200
  const t0 = Date.UTC(2025, 0, 1)
  let batch: CheckResult[] = []
  for (let round = 0; round < rounds; round++) {
    for (let m = 0; m < monitors; m++) {
      batch.push(typical(rand, `monitor-${m}`, t0 + round * 30_000 + m * 97))
      if (batch.length === 500) {
        await store.writeResults(batch)
        batch = []
      }
    }
  }
  await store.writeResults(batch)
  await store.stop()

  // Method: stop() checkpoints the WAL into the main file and truncates the
  // WAL, so the file size is page_count * page_size: every page of every
  // table and index, free pages and schema included. dbstat splits it by
  // b-tree to show where the bytes are.
  const count = monitors * rounds
  const total = statSync(path).size
  const db = new Sqlite(path, { readonly: true })
  const perTree = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[]
  const resultsBytes = perTree.find((x) => x.name === 'results')?.bytes ?? 0
  db.close()
  const perResult = total / count
  t.comment(`${count} results: ${total} bytes on disk = ${perResult.toFixed(1)} bytes/result (results b-tree alone: ${(resultsBytes / count).toFixed(1)})`)
  t.comment(`by b-tree: ${perTree.map((x) => `${x.name} ${x.bytes}`).join(', ')}`)
  t.ok(perResult < 150, `${perResult.toFixed(1)} bytes/result < 150`)
  t.ok(resultsBytes > 0 && resultsBytes < total, 'dbstat sees the results table')
})

t.test('latestResults over 100,000 monitors reads one small table', async (t) => {
  const store = await plugin.create({ path: join(dir, 'many.db') }, ctx)
  await store.start()
  t.teardown(() => store.stop())
  const rand = random(7)
  const t0 = Date.UTC(2025, 0, 1)
  const n = 100_000
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < n; i += 1000) {
      const batch: CheckResult[] = []
      for (let k = i; k < i + 1000; k++) batch.push(typical(rand, `monitor-${k}`, t0 + round * 60_000 + k))
      await store.writeResults(batch)
    }
  }
  const started = performance.now()
  const latest = await store.latestResults('default')
  const ms = performance.now() - started
  t.comment(`latestResults: ${latest.size} monitors in ${ms.toFixed(0)} ms`)
  t.equal(latest.size, n)
  t.equal(latest.get('monitor-99999')?.startedAt, t0 + 60_000 + 99_999, 'the second round is the newest')
  t.strictSame(latest.get('monitor-5')?.observations, { statusCode: 200, redirects: 0 })
  // Generous bound (it takes ~250 ms here): catches a per-monitor query or a
  // scan of the results table, not a slow machine.
  t.ok(ms < 3000, `under 3 s (${ms.toFixed(0)} ms)`)
  const some = await store.latestResults('default', ['monitor-1', 'monitor-50000', 'nope'])
  t.strictSame([...some.keys()].sort(), ['monitor-1', 'monitor-50000'])
})
