import type { CheckResult, StorageInstance } from '@vedette/sdk'
import t, { type Test } from 'tap'
import plugin, { partitionName, SCHEMA_VERSION, type PostgresStorageConfig } from './index.js'
import { context, dropSchemas, PG_URL, requirePostgres, sql, testSchema } from './postgres-available.test.util.js'

const DAY = 86_400_000

if (await requirePostgres(t)) {
  const schemas: string[] = []
  t.teardown(() => dropSchemas(schemas))
  const create = async (t: Test, over: Partial<PostgresStorageConfig> = {}): Promise<StorageInstance> => {
    const schema = over.schema ?? testSchema()
    if (!schemas.includes(schema)) schemas.push(schema)
    return plugin.create({ url: PG_URL, schema, poolSize: 3, ...over }, context(t.testdir({})))
  }
  const partitions = async (schema: string): Promise<string[]> =>
    (
      await sql<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
        [`"${schema}".results`]
      )
    ).map((r) => r.name)
  const result = (monitorId: string, startedAt: number, over: Partial<CheckResult> = {}): CheckResult => ({
    tenantId: 'default',
    monitorId,
    startedAt,
    status: 'up',
    latencyMs: 12.5,
    ...over
  })

  t.test('instances starting at once on a fresh schema migrate it once', async (t) => {
    const schema = testSchema()
    const stores = await Promise.all([1, 2, 3].map(() => create(t, { schema })))
    await Promise.all(stores.map((s) => s.start()))
    t.teardown(() => Promise.all(stores.map((s) => s.stop())))
    const applied = await sql<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`)
    t.strictSame(
      applied.map((r) => r.version),
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
      'every migration recorded exactly once'
    )
    await stores[0]?.writeResults([result('m', Date.now())])
    t.equal((await stores[2]?.queryResults('default', 'm'))?.items.length, 1, 'and all three use the same tables')
  })

  t.test('a schema migrated by a newer release is refused, untouched', async (t) => {
    const schema = testSchema()
    const first = await create(t, { schema })
    await first.start()
    await first.stop()
    await sql(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, 'from the future')`, [SCHEMA_VERSION + 1])
    const store = await create(t, { schema })
    await t.rejects(store.start(), { code: 'VDT_ERR_POSTGRES_SCHEMA_TOO_NEW', message: new RegExp(`migration ${SCHEMA_VERSION + 1}`) })
    await t.rejects(store.listMonitors('default'), { code: 'VDT_ERR_STORAGE_NOT_STARTED' }, 'and the store did not start')
  })

  t.test('an unreachable server fails start() with the URL redacted', async (t) => {
    const store = await create(t, { url: 'postgres://vedette:n0t-for-logs@127.0.0.1:1/test' })
    const err = (await store.start().catch((e: unknown) => e)) as Error & { code: string }
    t.match(err, { code: 'VDT_ERR_POSTGRES_START_FAILED', message: /postgres:\/\/vedette:\*\*\*@127\.0\.0\.1:1\/test/ })
    t.notMatch(err.message, /n0t-for-logs/, 'no password in the message')
    await t.rejects(store.writeResults([result('m', 1)]), { code: 'VDT_ERR_STORAGE_NOT_STARTED' }, 'calls after a failed start are refused')
  })

  t.test('results are partitioned by time: ahead at start, on write when needed, dropped whole past retention', async (t) => {
    const schema = testSchema()
    const store = await create(t, { schema, retention: { raw: '2d', minute: '2d', hour: '2d', day: '2d' } })
    await store.start()
    t.teardown(() => store.stop())
    const [{ strategy } = { strategy: '' }] = await sql<{ strategy: string }>(
      `SELECT partstrat AS strategy FROM pg_partitioned_table WHERE partrelid = $1::regclass`,
      [`"${schema}".results`]
    )
    t.equal(strategy, 'r', 'results is a RANGE-partitioned table')
    const today = Math.floor(Date.now() / DAY) * DAY
    const ahead = [0, 1, 2, 3].map((i) => partitionName(today + i * DAY))
    t.strictSame(await partitions(schema), ahead, 'start() made today and 3 days ahead: results_YYYYMMDD')

    const old = Date.UTC(2024, 1, 29, 13)
    await store.writeResults([result('m', old), result('m', old + 1), result('m', old + DAY)])
    const names = await partitions(schema)
    t.ok(names.includes('results_20240229') && names.includes('results_20240301'), 'a write into days without a partition creates them')
    const indexes = await sql<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = 'results_20240229'`, [schema])
    t.match(indexes.map((i) => i.def).join('\n'), /\(tenant_id, monitor_id, at, seq\)/, 'each partition has the (tenant, monitor, at, seq) index')
    const plan = await sql<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM "${schema}".results WHERE tenant_id = 'default' AND monitor_id = 'm' AND at >= ${old} AND at < ${old + 1000}`
    )
    const scanned = plan.map((r) => r['QUERY PLAN']).join('\n').match(/results_\d{8}/g) ?? []
    t.strictSame([...new Set(scanned)], ['results_20240229'], 'a range query reads only the partitions it covers')

    await store.writeResults([result('m', Date.now())])
    const report = await store.maintain(Date.now())
    const after = await partitions(schema)
    t.notOk(after.includes('results_20240229') || after.includes('results_20240301'), 'maintain dropped the partitions past the raw retention')
    t.ok(after.includes(partitionName(today)), 'and kept the current one')
    t.equal(report.deleted.raw, 3, 'the report counts the results that went with them')
    t.strictSame((await store.queryResults('default', 'm', { order: 'asc' })).items.map((r) => r.startedAt > old + DAY), [true], 'only the recent result is left')
  })

  t.test('a pool of one connection serves every call, a maintenance pass included', async (t) => {
    const store = await create(t, { poolSize: 1 })
    await store.start()
    t.teardown(() => store.stop())
    const now = Date.now()
    await Promise.all([
      store.writeResults([result('m', now - 120_000), result('m', now - 60_000)]),
      store.recordTransition({ tenantId: 'default', monitorId: 'm', from: 'pending', to: 'down', reason: 'x', at: now }),
      store.enqueueOutbox([{ tenantId: 'default', id: 'o', channelId: 'c', alertIds: [], notification: {}, createdAt: now, nextAttemptAt: now }])
    ])
    const [report, states] = await Promise.all([store.maintain(now), store.monitorStates('default')])
    t.equal(report.rolledUp.minute, 2, 'two closed minutes rolled up')
    t.equal(states.length, 1)
    t.equal((await store.uptime('default', 'm', now - 180_000, now)).checks, 2)
  })

  t.test('awkward text survives COPY: tabs, newlines, backslashes, NUL, JSON escapes', async (t) => {
    const store = await create(t)
    await store.start()
    t.teardown(() => store.stop())
    const written = result('odd\tid\\x', Date.now(), {
      message: 'tab\there\nnew line \\ backslash \\N not null \r cr',
      reason: 'a\u0000b',
      observations: { 'key\twith\ttabs': 'v\\a\\l\nue', quote: '"', unicode: '✓ 𝄞' },
      phases: { 'a\\b': 1.5 }
    })
    await store.writeResults([written])
    const [back] = (await store.queryResults('default', 'odd\tid\\x')).items
    t.strictSame(back, { ...written, reason: 'a\uFFFDb' }, 'every field comes back; U+0000, which PostgreSQL text cannot hold, becomes U+FFFD')
    await t.rejects(store.writeResults([result('m', 1.5)]), { code: 'VDT_ERR_STORAGE_INVALID_RECORD', message: /startedAt must be integer/ })
  })
}
