import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import Sqlite from 'better-sqlite3'
import { silentLogger, type CheckResult, type PluginContext } from '@vedette/sdk'
import t from 'tap'
import plugin, { SCHEMA_VERSION } from './index.js'
import { MIGRATIONS } from './migrations.js'

function context(dir: string): PluginContext {
  return { name: '@vedette/storage-sqlite', engineVersion: '0.1.0', dataDir: dir, resolvePath: (p) => join(dir, p), logger: silentLogger }
}

const DAY = 86_400_000
const T0 = Date.UTC(2025, 0, 1)

// A worker thread is a second connection that really runs at the same time,
// like a second engine process on the same file. It opens the store, waits
// for the start signal so all claimers overlap, then claims until nothing is left.
const CLAIMER = `
const { workerData, parentPort } = require('node:worker_threads')
const noop = () => {}
const logger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, child: () => logger }
;(async () => {
  const { default: plugin } = await import(workerData.pluginUrl)
  const store = await plugin.create({ path: workerData.path }, { name: 'claimer', engineVersion: '0.1.0', dataDir: '/', resolvePath: (p) => p, logger })
  await store.start()
  const gate = new Int32Array(workerData.gate)
  Atomics.add(gate, 1, 1)
  Atomics.wait(gate, 0, 0)
  const got = []
  for (;;) {
    const batch = await store.claimOutbox(workerData.owner, workerData.now, 60000, 3)
    if (batch.length === 0) break
    for (const item of batch) got.push(item.tenantId + '/' + item.id + '/' + item.leaseOwner)
    // "Send" before claiming again, as a node does; a tight loop would starve the
    // other connections, whose busy handler sleeps while this one re-locks.
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  await store.stop()
  parentPort.postMessage(got)
})().catch((err) => { throw err })
`

t.test('claims from several connections at once never lease an item twice (BEGIN IMMEDIATE)', async (t) => {
  const path = join(t.testdir({}), 'vedette.db')
  const store = await plugin.create({ path }, context(t.testdirName))
  await store.start()
  const items = Array.from({ length: 240 }, (_, i) => ({
    tenantId: i % 2 === 0 ? 'a' : 'b',
    id: `n${i}`,
    channelId: 'mail',
    alertIds: ['x'],
    notification: { i },
    createdAt: T0,
    nextAttemptAt: T0 + (i % 13)
  }))
  t.equal((await store.enqueueOutbox(items)).length, 240)
  await store.stop()

  const gate = new SharedArrayBuffer(8)
  const flags = new Int32Array(gate)
  const workers = Array.from({ length: 4 }, (_, i) => {
    const workerData = { pluginUrl: new URL('./index.js', import.meta.url).href, path, owner: `node-${i}`, now: T0 + 1000, gate }
    const worker = new Worker(CLAIMER, { eval: true, workerData })
    return new Promise<string[]>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  })
  while (Atomics.load(flags, 1) < 4) await new Promise((r) => setTimeout(r, 5))
  Atomics.store(flags, 0, 1)
  Atomics.notify(flags, 0)
  const claimed = await Promise.all(workers)
  const keys = claimed.flat().map((k) => k.split('/').slice(0, 2).join('/'))
  t.equal(new Set(keys).size, keys.length, 'no item leased by two connections')
  t.equal(keys.length, 240, 'every item leased once')
  t.ok(claimed.filter((c) => c.length > 0).length >= 2, `the claims really overlapped (${claimed.map((c) => c.length).join(', ')} per connection)`)

  const check = await plugin.create({ path }, context(t.testdirName))
  await check.start()
  const owners = new Map(claimed.flat().map((k) => [k.split('/').slice(0, 2).join('/'), k.split('/')[2]]))
  const stored = (await check.listOutbox('a', { limit: 1000 })).items.concat((await check.listOutbox('b', { limit: 1000 })).items)
  t.ok(stored.every((x) => x.leaseOwner === owners.get(`${x.tenantId}/${x.id}`)), 'the stored lease owner is the connection that got the item')
  await check.stop()
})

t.test('a database from the previous schema is migrated and keeps its data', async (t) => {
  const dir = t.testdir({})
  const path = join(dir, 'old.db')
  const db = new Sqlite(path)
  for (const [version, sql] of MIGRATIONS.slice(0, 2).entries()) {
    db.exec(sql)
    db.pragma(`user_version = ${version + 1}`)
  }
  db.prepare("INSERT INTO monitor_refs (ref, tenant_id, monitor_id) VALUES (1, 'default', 'm')").run()
  db.prepare('INSERT INTO results (ref, started_at, seq, status, latency_us, shape, vals) VALUES (1, ?, 0, 0, 12500, 0, NULL)').run(T0)
  db.close()

  const store = await plugin.create({ path, retention: { raw: '1d', minute: '2d', hour: '3d', day: '4d' } }, context(dir))
  await store.start()
  t.teardown(() => store.stop())
  t.equal((await store.queryResults('default', 'm')).items[0]?.latencyMs, 12.5, 'old results are still there')
  await store.maintain(T0 + 2 * DAY)
  t.match(await store.uptime('default', 'm', T0, T0 + DAY), { tier: 'minute', checks: 1, latency: { min: 12.5, max: 12.5 } }, 'and are rolled up by the new tables')
  const check = new Sqlite(path, { readonly: true })
  t.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION)
  t.equal(check.prepare('SELECT count(*) FROM rollups_day').pluck().get(), 1)
  check.close()
})

t.test('stop() waits for a running pass; a pass asked for after stop() is refused', async (t) => {
  const dir = t.testdir({})
  const store = await plugin.create({ path: join(dir, 'v.db') }, context(dir))
  await store.start()
  const batch: CheckResult[] = []
  for (let m = 0; m < 450; m++) batch.push({ tenantId: 'default', monitorId: `m${m}`, startedAt: T0 + m, status: 'up', latencyMs: 5 })
  await store.writeResults(batch)
  const pass = store.maintain(T0 + 10 * DAY)
  await store.stop()
  const report = await pass
  t.equal(report.deleted.raw, 450, 'the pass that was running finished its work (450 monitors, several chunks)')
  await t.rejects(store.maintain(T0 + 11 * DAY), { code: 'VDT_ERR_STORAGE_NOT_STARTED' })

  const again = await plugin.create({ path: join(dir, 'v.db') }, context(dir))
  await again.start()
  t.teardown(() => again.stop())
  t.equal((await again.uptime('default', 'm7', T0, T0 + DAY)).checks, 1, 'its rollups and marks were saved')
})
