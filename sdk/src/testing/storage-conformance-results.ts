import type { Test } from 'tap'
import type { CheckResult } from '../check-result.js'
import {
  collectPages,
  fullResult,
  httpResult,
  MINUTE,
  rejectsAsBadRequest,
  resultListMismatches,
  SECOND,
  T0,
  TENANT_A,
  type OpenStore
} from './storage-conformance-fixtures.js'

/** Raw results: field fidelity, ranges, ordering, pagination, batch atomicity. */
export function resultTests(t: Test, open: OpenStore): void {
  t.test('results: every field survives the round trip', async (t) => {
    const s = await open(t)
    const m = 'fidelity'
    const written: CheckResult[] = [
      fullResult(TENANT_A, m, T0),
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 1, status: 'down', latencyMs: 0 },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 2, status: 'unknown', latencyMs: 10_000, reason: 'crashed', message: 'worker died' },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 3, status: 'up', latencyMs: 0.001, phases: {}, metrics: [], observations: {} },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 4, status: 'up', latencyMs: 86_400_000.999, metrics: [{ label: 'load1', value: 0.42 }] },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 5, status: 'degraded', latencyMs: 12.3456, reason: 'custom-plugin-reason' },
      { ...httpResult(TENANT_A, m, T0 + 6), message: '' },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 7, status: 'up', latencyMs: 5, observations: { statusCode: 200 } },
      { tenantId: TENANT_A, monitorId: m, startedAt: T0 + 8, status: 'up', latencyMs: 5, observations: { statusCode: '200' } }
    ]
    await s.writeResults(written)
    const page = await s.queryResults(TENANT_A, m, { order: 'asc' })
    t.strictSame(resultListMismatches(page.items, written), [], 'all fields equal (latency and phases within 1 µs)')

    // Stored state must not alias the caller's objects, nor hand out its own.
    ;(written[0]?.observations as Record<string, unknown>).statusCode = 999
    const again = await s.queryResults(TENANT_A, m, { order: 'asc', limit: 1 })
    t.equal(again.items[0]?.observations?.statusCode, 503, 'mutating the written object changes nothing')
    ;(again.items[0]?.metrics ?? []).push({ label: 'x', value: 1 })
    const third = await s.queryResults(TENANT_A, m, { order: 'asc', limit: 1 })
    t.equal(third.items[0]?.metrics?.length, 3, 'mutating a returned object changes nothing')
  })

  t.test('results: [from, to) ranges and order', async (t) => {
    const s = await open(t)
    const at = (i: number): number => T0 + i * MINUTE
    const batch: CheckResult[] = []
    for (let i = 0; i < 10; i++) batch.push(httpResult(TENANT_A, 'm', at(i), i), httpResult(TENANT_A, 'other', at(i), i))
    await s.writeResults(batch)
    const times = async (q: Parameters<typeof s.queryResults>[2]): Promise<number[]> =>
      (await s.queryResults(TENANT_A, 'm', q)).items.map((r) => (r.startedAt - T0) / MINUTE)

    t.strictSame(await times(undefined), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 'newest first by default')
    t.strictSame(await times({ order: 'asc' }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'asc')
    t.strictSame(await times({ from: at(2), to: at(5) }), [4, 3, 2], 'from inclusive, to exclusive')
    t.strictSame(await times({ from: at(2), to: at(5), order: 'asc' }), [2, 3, 4])
    t.strictSame(await times({ from: at(7) }), [9, 8, 7], 'open-ended to')
    t.strictSame(await times({ to: at(1) }), [0], 'open-ended from')
    t.strictSame(await times({ from: at(20) }), [], 'empty range')
    t.strictSame(await times({ from: at(5), to: at(5) }), [], 'from == to is empty')
    const none = await s.queryResults(TENANT_A, 'no-such-monitor')
    t.strictSame(none, { items: [] }, 'unknown monitor: empty page without cursor')

    const p1 = await s.queryResults(TENANT_A, 'm', { limit: 4 })
    t.strictSame(p1.items.map((r) => (r.startedAt - T0) / MINUTE), [9, 8, 7, 6])
    const p2 = await s.queryResults(TENANT_A, 'm', { limit: 4, cursor: p1.nextCursor as string })
    t.strictSame(p2.items.map((r) => (r.startedAt - T0) / MINUTE), [5, 4, 3, 2])
    const p3 = await s.queryResults(TENANT_A, 'm', { limit: 4, cursor: p2.nextCursor as string })
    t.strictSame(p3.items.map((r) => (r.startedAt - T0) / MINUTE), [1, 0])
    t.equal(p3.nextCursor, undefined, 'no cursor on the last page')
    const full = await s.queryResults(TENANT_A, 'm', { limit: 10 })
    t.equal(full.nextCursor, undefined, 'a page that holds exactly the rest carries no cursor')

    await rejectsAsBadRequest(t, s.queryResults(TENANT_A, 'm', { cursor: '%%%' }), 'garbage cursor')
    await rejectsAsBadRequest(t, s.queryResults(TENANT_A, 'm', { limit: 0 }), 'limit 0')
    await rejectsAsBadRequest(t, s.queryResults(TENANT_A, 'm', { from: Number.NaN }), 'from NaN')
    await rejectsAsBadRequest(t, s.queryResults(TENANT_A, 'm', { order: 'sideways' as 'asc' }), 'unknown order')
  })

  t.test('results: pagination over > 1,000 results has no gaps or duplicates', async (t) => {
    const s = await open(t)
    const n = 2500
    const batch: CheckResult[] = []
    let serial = 0
    const mark = (r: CheckResult): CheckResult => ({ ...r, observations: { ...r.observations, serial: serial++ } })
    for (let i = 0; i < n; i++) {
      // Two other monitors share every timestamp: cursors must not rely on time alone.
      for (const id of ['busy', 'busy-2', 'busy-3']) batch.push(mark(httpResult(TENANT_A, id, T0 + i * SECOND, i)))
      // A monitor never overlaps itself, but a store must not lose or repeat
      // results that share a start time anyway (clock steps, retried batches).
      if (i % 100 === 50) batch.push(mark({ ...httpResult(TENANT_A, 'busy', T0 + i * SECOND, i), status: 'down' }))
    }
    for (let i = 0; i < batch.length; i += 1000) await s.writeResults(batch.slice(i, i + 1000))
    const mine = batch.filter((r) => r.monitorId === 'busy')
    const serials = (items: CheckResult[]): number[] => items.map((r) => r.observations?.serial as number)
    const expectedSerials = new Set(serials(mine))

    for (const [limit, order] of [[1000, 'desc'], [333, 'asc'], [100, 'desc']] as const) {
      const { items, sizes } = await collectPages((cursor) => s.queryResults(TENANT_A, 'busy', { limit, order, cursor }))
      const got = serials(items)
      t.equal(got.length, mine.length, `limit ${limit} ${order}: every result once (${sizes.length} pages)`)
      t.equal(new Set(got).size, got.length, `limit ${limit} ${order}: no duplicates`)
      t.ok(got.every((x) => expectedSerials.has(x)), `limit ${limit} ${order}: only this monitor's results`)
      const sortedOk = items.every((r, i) => i === 0 || (order === 'desc' ? items[i - 1]!.startedAt >= r.startedAt : items[i - 1]!.startedAt <= r.startedAt))
      t.ok(sortedOk, `limit ${limit} ${order}: ordered by startedAt`)
    }
    const capped = await s.queryResults(TENANT_A, 'busy', { limit: 100_000 })
    t.equal(capped.items.length, 1000, 'limit is capped at 1000')

    // One result per page across a shared start time: the tiebreaker must hold.
    const tied = T0 + 150 * SECOND
    for (const order of ['asc', 'desc'] as const) {
      const { items } = await collectPages((cursor) => s.queryResults(TENANT_A, 'busy', { from: tied - SECOND, to: tied + 2 * SECOND, limit: 1, order, cursor }))
      t.equal(items.length, 4, `${order}: both results at the shared start time are returned`)
      t.equal(new Set(serials(items)).size, 4, `${order}: and neither twice`)
      t.strictSame(items.filter((r) => r.startedAt === tied).map((r) => r.status).sort(), ['down', 'up'])
    }

    const ranged = await collectPages((cursor) =>
      s.queryResults(TENANT_A, 'busy', { from: T0 + 500 * SECOND, to: T0 + 1700 * SECOND, limit: 250, cursor })
    )
    const inRange = mine.filter((r) => r.startedAt >= T0 + 500 * SECOND && r.startedAt < T0 + 1700 * SECOND)
    t.equal(ranged.items.length, inRange.length, 'range filters hold on every page')
    t.equal(new Set(serials(ranged.items)).size, inRange.length)
  })

  t.test('results: a batch is written whole or not at all', async (t) => {
    const s = await open(t)
    await s.writeResults([])
    t.equal((await s.latestResults(TENANT_A)).size, 0, 'an empty batch writes nothing')

    const invalid: unknown[] = [
      { ...httpResult(TENANT_A, 'z', T0), status: 'sideways' },
      { ...httpResult(TENANT_A, 'z', T0), latencyMs: Number.NaN },
      { ...httpResult(TENANT_A, 'z', T0), startedAt: 'yesterday' },
      { ...httpResult(TENANT_A, 'z', T0), monitorId: undefined },
      { ...httpResult(TENANT_A, 'z', T0), tenantId: '' }
    ]
    for (const bad of invalid) {
      const batch = [httpResult(TENANT_A, 'x', T0), httpResult(TENANT_A, 'y', T0 + 1), bad as CheckResult]
      await t.rejects(s.writeResults(batch), { code: /^VDT_ERR_/ }, `rejects ${JSON.stringify(bad).slice(0, 60)}…`)
    }
    t.equal((await s.queryResults(TENANT_A, 'x')).items.length, 0, 'valid results before the bad one were not kept')
    t.equal((await s.queryResults(TENANT_A, 'y')).items.length, 0)
    t.equal((await s.latestResults(TENANT_A)).size, 0, 'nor did they move the latest result')

    await s.writeResults([httpResult(TENANT_A, 'x', T0)])
    t.equal((await s.queryResults(TENANT_A, 'x')).items.length, 1, 'the store still accepts writes afterwards')
  })
}
