import type { NewOutboxItem, StorageInstance } from '@vedette/sdk'
import t, { type Test } from 'tap'
import plugin from './index.js'
import { context, dropSchemas, PG_URL, requirePostgres, sql, testSchema } from './postgres-available.test.util.js'

const T0 = Date.UTC(2025, 0, 1)

function item(id: string, over: Partial<NewOutboxItem> = {}): NewOutboxItem {
  return { tenantId: 'default', id, channelId: 'ops', alertIds: ['a1'], notification: { title: id, z: 1, a: 2 }, createdAt: T0, nextAttemptAt: T0, ...over }
}

if (await requirePostgres(t)) {
  const schemas: string[] = []
  t.teardown(() => dropSchemas(schemas))
  /** Two stores on one schema, each with its own pool: two engine nodes sharing a database. */
  const nodes = async (t: Test, poolSize = 4): Promise<[StorageInstance, StorageInstance, string]> => {
    const schema = testSchema()
    schemas.push(schema)
    const make = async (): Promise<StorageInstance> => {
      const s = await plugin.create({ url: PG_URL, schema, poolSize }, context(t.testdir({})))
      await s.start()
      t.teardown(() => s.stop())
      return s
    }
    return [await make(), await make(), schema]
  }

  t.test('two nodes claiming at once never get the same item', async (t) => {
    const [a, b] = await nodes(t)
    const all = Array.from({ length: 400 }, (_, i) => item(`n${String(i).padStart(3, '0')}`, { nextAttemptAt: T0 + (i % 13) }))
    t.equal((await a.enqueueOutbox(all)).length, 400)
    // Many small claims from both nodes, interleaved, until nothing is due.
    const got: Record<string, string[]> = { a: [], b: [] }
    const drain = async (name: 'a' | 'b', s: StorageInstance): Promise<void> => {
      for (;;) {
        const claimed = await s.claimOutbox(`node-${name}`, T0 + 60_000, 60_000, 7)
        if (claimed.length === 0) return
        got[name]?.push(...claimed.map((x) => x.id))
      }
    }
    await Promise.all([drain('a', a), drain('b', b), drain('a', a), drain('b', b)])
    const everything = [...(got.a ?? []), ...(got.b ?? [])]
    t.equal(new Set(everything).size, everything.length, 'no item was claimed twice')
    t.equal(everything.length, 400, 'every item was claimed once')
    t.ok((got.a?.length ?? 0) > 0 && (got.b?.length ?? 0) > 0, `both nodes got work (${got.a?.length} / ${got.b?.length})`)
    const owners = await sql<{ owner: string; n: number }>(`SELECT lease_owner AS owner, count(*)::int AS n FROM "${schemas[schemas.length - 1]}".outbox GROUP BY 1 ORDER BY 1`)
    t.strictSame(owners, [{ owner: 'node-a', n: got.a?.length }, { owner: 'node-b', n: got.b?.length }].filter((o) => o.n !== 0), 'the table agrees on who holds what')
  })

  t.test('a lease that runs out passes to the other node; the first one can no longer settle', async (t) => {
    const [a, b] = await nodes(t)
    await a.enqueueOutbox([item('x')])
    t.strictSame((await a.claimOutbox('node-a', T0, 30_000, 10)).map((x) => x.id), ['x'])
    t.strictSame(await b.claimOutbox('node-b', T0 + 29_999, 30_000, 10), [], 'held until leaseUntil')
    t.strictSame((await b.claimOutbox('node-b', T0 + 30_000, 30_000, 10)).map((x) => x.leaseOwner), ['node-b'], 'then node-b takes it')
    const attempt = { at: T0 + 31_000, ok: true, latencyMs: 5, status: 200 }
    t.equal(await a.settleOutbox('default', 'x', 'node-a', attempt, { state: 'delivered' }), false, 'node-a lost the lease')
    t.equal(await b.settleOutbox('default', 'x', 'node-b', attempt, { state: 'delivered' }), true)
    t.match(await a.getOutboxItem('default', 'x'), { state: 'delivered', attempts: [attempt] }, 'both nodes see the outcome')
  })

  t.test('the same notification enqueued by both nodes is stored once', async (t) => {
    const [a, b] = await nodes(t)
    const [fromA, fromB] = await Promise.all([a.enqueueOutbox([item('same'), item('a-only')]), b.enqueueOutbox([item('same', { channelId: 'other' })])])
    t.equal([...fromA, ...fromB].filter((id) => id === 'same').length, 1, 'exactly one enqueue stored it')
    t.strictSame((await b.listOutbox('default')).items.map((x) => x.id).sort(), ['a-only', 'same'])
    t.strictSame(Object.keys((await b.getOutboxItem('default', 'a-only'))?.notification ?? {}), ['title', 'z', 'a'], 'the rendered notification keeps its key order')
  })

  t.test('insertDocument across nodes: one winner', async (t) => {
    const [a, b] = await nodes(t)
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).insertDocument('default', 'locks', 'leader', { node: i })))
    t.equal(wins.filter(Boolean).length, 1, 'exactly one of 10 concurrent inserts from two nodes stored the document')
    t.equal((await b.getDocument('default', 'locks', 'leader'))?.doc.node, wins.indexOf(true), "and it is the winner's document")
  })
}
