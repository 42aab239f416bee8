import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Sqlite from 'better-sqlite3'
import { silentLogger, type CheckResult, type PluginContext } from '@vedette/sdk'
import t from 'tap'
import plugin, { SCHEMA_VERSION } from './index.js'

function context(dir: string): PluginContext {
  return { name: '@vedette/storage-sqlite', engineVersion: '0.1.0', dataDir: dir, resolvePath: (p) => join(dir, p), logger: silentLogger }
}

const result = (monitorId: string, startedAt: number, extra: Partial<CheckResult> = {}): CheckResult => ({
  tenantId: 'default',
  monitorId,
  startedAt,
  status: 'up',
  latencyMs: 12.5,
  ...extra
})

t.test('start() opens WAL at the current schema; stop() leaves a complete file', async (t) => {
  const dir = t.testdir({})
  const store = await plugin.create({}, context(dir))
  await store.start()
  await store.start() // idempotent
  await store.writeResults([result('m', 1)])
  await store.stop()
  await store.stop() // idempotent

  const path = join(dir, 'vedette.db')
  t.ok(existsSync(path), 'default path: <dataDir>/vedette.db')
  t.ok(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0, 'WAL folded back into the file')
  const db = new Sqlite(path, { readonly: true })
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION)
  t.equal(db.prepare('SELECT count(*) FROM results').pluck().get(), 1)
  db.close()

  const again = await plugin.create({}, context(dir))
  await again.start()
  t.equal((await again.queryResults('default', 'm')).items.length, 1, 'reopening does not migrate twice or lose data')
  await again.stop()
})

t.test('calls outside start()..stop() are refused', async (t) => {
  const store = await plugin.create({ path: ':memory:' }, context(t.testdir({})))
  await t.rejects(store.getMonitor('default', 'x'), { code: 'VDT_ERR_STORAGE_NOT_STARTED', statusCode: 503 })
  await store.start()
  t.equal(await store.getMonitor('default', 'x'), undefined)
  await store.stop()
  await t.rejects(store.writeResults([result('m', 1)]), { code: 'VDT_ERR_STORAGE_NOT_STARTED' })
})

t.test('a database from a newer release is refused, untouched', async (t) => {
  const dir = t.testdir({})
  const path = join(dir, 'newer.db')
  const db = new Sqlite(path)
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
  db.close()
  const store = await plugin.create({ path }, context(dir))
  await t.rejects(store.start(), { code: 'VDT_ERR_SQLITE_SCHEMA_TOO_NEW', message: new RegExp(`schema version ${SCHEMA_VERSION + 1}`) })
  const check = new Sqlite(path, { readonly: true })
  t.equal(check.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'results'").pluck().get(), 0, 'no table was created')
  check.close()
  await t.rejects(store.listMonitors('default'), { code: 'VDT_ERR_STORAGE_NOT_STARTED' }, 'and the store did not start')
})

t.test('an unusable path fails to open with the path in the message', async (t) => {
  const dir = t.testdir({})
  writeFileSync(join(dir, 'a-file'), '')
  const store = await plugin.create({ path: join(dir, 'a-file', 'vedette.db') }, context(dir))
  await t.rejects(store.start(), { code: 'VDT_ERR_SQLITE_OPEN_FAILED', message: /a-file/ })
})

t.test('a rolled-back batch leaves no stale ids in the caches', async (t) => {
  const store = await plugin.create({ path: ':memory:' }, context(t.testdir({})))
  await store.start()
  t.teardown(() => store.stop())
  // The failing batch registers a new monitor ref and a new result shape before
  // its last result turns out invalid; both inserts are rolled back.
  await t.rejects(store.writeResults([result('x', 1, { observations: { a: 1 } }), { ...result('x', 2), status: 'nope' as 'up' }]), {
    code: 'VDT_ERR_STORAGE_INVALID_RECORD',
    message: /result #1 of the batch: status/
  })
  // Had the caches kept them, 'y' and its shape would now reuse the same ids.
  await store.writeResults([result('y', 1, { observations: { b: 'two' } })])
  await store.writeResults([result('x', 1, { observations: { a: 1 } })])
  const x = (await store.queryResults('default', 'x')).items
  const y = (await store.queryResults('default', 'y')).items
  t.strictSame(x.map((r) => r.observations), [{ a: 1 }], 'x keeps its own ref and shape')
  t.strictSame(y.map((r) => r.observations), [{ b: 'two' }], 'y keeps its own ref and shape')
})

t.test('shapes: mixed result kinds in one batch, and odd keys', async (t) => {
  const store = await plugin.create({ path: ':memory:' }, context(t.testdir({})))
  await store.start()
  t.teardown(() => store.stop())
  const odd = JSON.parse('{"__proto__": 1, "a,b": true, "1:x": "y", "": null}') as CheckResult['observations']
  const batch: CheckResult[] = []
  for (let i = 0; i < 30; i++) {
    const kind = i % 3
    if (kind === 0) batch.push(result('m', i, { phases: { dns: 1, connect: 2 }, observations: { statusCode: 200 } }))
    if (kind === 1) batch.push(result('m', i, { phases: { connect: 2, dns: 1 }, observations: { statusCode: 200 } }))
    if (kind === 2) batch.push(result('m', i, { observations: odd, message: 'm' }))
  }
  await store.writeResults(batch)
  const back = (await store.queryResults('default', 'm', { order: 'asc' })).items
  t.strictSame(back.map((r) => Object.keys(r.phases ?? {})), batch.map((r) => Object.keys(r.phases ?? {})), 'phase key order is kept per row')
  t.strictSame(
    back.filter((_, i) => i % 3 === 2).map((r) => Object.entries(r.observations ?? {})),
    Array(10).fill(Object.entries(odd ?? {})),
    'keys with separators, digits, an empty key and __proto__ round-trip as own properties'
  )
})
