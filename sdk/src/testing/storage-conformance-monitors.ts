import type { Test } from 'tap'
import type { MonitorRecord } from '../storage.js'
import {
  collectPages,
  httpResult,
  MINUTE,
  monitorRecord,
  rejectsAsBadRequest,
  T0,
  TENANT_A,
  transition,
  type OpenStore
} from './storage-conformance-fixtures.js'

/** Monitor records: round trip, ordering, pagination limits, deletion. */
export function monitorTests(t: Test, open: OpenStore): void {
  t.test('monitors: put, get, update, copies', async (t) => {
    const s = await open(t)
    const api = monitorRecord(TENANT_A, 'api', { tags: ['prod', 'eu-west'], definition: { cron: '*/5 * * * *', nested: { list: [1, 'a', null] } } })
    await s.putMonitor(api)
    t.strictSame(await s.getMonitor(TENANT_A, 'api'), api, 'round trip')
    t.equal(await s.getMonitor(TENANT_A, 'nope'), undefined, 'unknown id')

    const updated: MonitorRecord = { ...api, name: 'API v2', type: 'tcp', enabled: false, tags: [], definition: {}, updatedAt: T0 + MINUTE }
    await s.putMonitor(updated)
    t.strictSame(await s.getMonitor(TENANT_A, 'api'), updated, 'put replaces the whole record')
    const page = await s.listMonitors(TENANT_A)
    t.equal(page.items.length, 1, 'an update does not add a second record')

    // Neither the caller's object nor a returned one may alias stored state.
    updated.tags.push('mutated-after-put')
    const got = (await s.getMonitor(TENANT_A, 'api')) as MonitorRecord
    got.tags.push('mutated-after-get')
    got.definition.extra = true
    t.strictSame((await s.getMonitor(TENANT_A, 'api'))?.tags, [], 'stored record is a copy')
    t.equal((await s.getMonitor(TENANT_A, 'api'))?.definition.extra, undefined, 'returned record is a copy')
  })

  t.test('monitors: putMonitors stores a batch, all or none', async (t) => {
    const s = await open(t)
    const batch = Array.from({ length: 1500 }, (_, i) => monitorRecord(TENANT_A, `b${String(i).padStart(4, '0')}`))
    await s.putMonitors(batch)
    const { items: all } = await collectPages((cursor) => s.listMonitors(TENANT_A, { limit: 1000, ...(cursor ? { cursor } : {}) }))
    t.equal(all.length, 1500, 'every monitor of the batch is stored')
    t.strictSame(all[7], batch[7], 'records round-trip')
    const broken = [monitorRecord(TENANT_A, 'ok-1'), { ...monitorRecord(TENANT_A, 'bad'), name: 42 } as unknown as MonitorRecord]
    await t.rejects(s.putMonitors(broken), { code: 'VDT_ERR_STORAGE_INVALID_RECORD' })
    t.equal(await s.getMonitor(TENANT_A, 'ok-1'), undefined, 'a batch with an invalid record stores nothing')
  })

  t.test('monitors: ordered by id, default limit 100, max 1000, no gaps', async (t) => {
    const s = await open(t)
    const ids = Array.from({ length: 1050 }, (_, i) => `m-${String((i * 7919) % 1050).padStart(4, '0')}`)
    for (const id of ids) await s.putMonitor(monitorRecord(TENANT_A, id))
    const sorted = [...ids].sort()

    const first = await s.listMonitors(TENANT_A)
    t.equal(first.items.length, 100, 'default limit is 100')
    t.strictSame(first.items.map((m) => m.id), sorted.slice(0, 100), 'ordered by id')
    t.type(first.nextCursor, 'string')

    const big = await s.listMonitors(TENANT_A, { limit: 5000 })
    t.equal(big.items.length, 1000, 'limit is capped at 1000')
    const rest = await s.listMonitors(TENANT_A, { limit: 5000, cursor: big.nextCursor as string })
    t.equal(rest.items.length, 50)
    t.equal(rest.nextCursor, undefined, 'no cursor on the last page')

    const walked = await collectPages((cursor) => s.listMonitors(TENANT_A, { limit: 7, cursor }))
    t.strictSame(walked.items.map((m) => m.id), sorted, 'walking pages of 7 yields every id once, in order')

    const exact = await collectPages((cursor) => s.listMonitors(TENANT_A, { limit: 525, cursor }))
    t.strictSame(exact.sizes, [525, 525], 'a page that ends exactly at the last record carries no cursor')
  })

  t.test('monitors: ids order by code point (UTF-8 byte order)', async (t) => {
    const s = await open(t)
    // '\uFF21' (fullwidth A) sorts before '𝄞' (U+1D11E) by code point, but
    // after it by UTF-16 code unit: backends must agree with SQL's binary collation.
    const ids = ['b', 'B', 'a-1', 'a', 'é', '\uFF21', '𝄞', 'z', '10', '9']
    for (const id of ids) await s.putMonitor(monitorRecord(TENANT_A, id))
    const page = await s.listMonitors(TENANT_A)
    const expected = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
    t.strictSame(page.items.map((m) => m.id), expected)
    const walked = await collectPages((cursor) => s.listMonitors(TENANT_A, { limit: 1, cursor }))
    t.strictSame(walked.items.map((m) => m.id), expected, 'cursors follow the same order')
  })

  t.test('monitors: invalid page queries are rejected as bad requests', async (t) => {
    const s = await open(t)
    await s.putMonitor(monitorRecord(TENANT_A, 'a'))
    await rejectsAsBadRequest(t, s.listMonitors(TENANT_A, { cursor: 'not a cursor!' }), 'garbage cursor')
    await rejectsAsBadRequest(t, s.listMonitors(TENANT_A, { cursor: Buffer.from('{"x":1}').toString('base64url') }), 'well-encoded foreign cursor')
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      await rejectsAsBadRequest(t, s.listMonitors(TENANT_A, { limit }), `limit ${limit}`)
    }
  })

  t.test('monitors: delete removes the record and every trace of its data', async (t) => {
    const s = await open(t)
    for (const id of ['gone', 'kept']) {
      await s.putMonitor(monitorRecord(TENANT_A, id))
      await s.writeResults([httpResult(TENANT_A, id, T0), httpResult(TENANT_A, id, T0 + MINUTE)])
      await s.recordTransition(transition(TENANT_A, id, 'pending', 'up', T0))
      await s.recordTransition(transition(TENANT_A, id, 'up', 'down', T0 + MINUTE))
    }
    t.equal(await s.deleteMonitor(TENANT_A, 'gone'), true, 'existing monitor: true')
    t.equal(await s.getMonitor(TENANT_A, 'gone'), undefined)
    t.strictSame((await s.listMonitors(TENANT_A)).items.map((m) => m.id), ['kept'])
    t.equal((await s.queryResults(TENANT_A, 'gone')).items.length, 0, 'results removed')
    t.strictSame([...(await s.latestResults(TENANT_A)).keys()], ['kept'], 'latest result removed')
    t.equal((await s.uptime(TENANT_A, 'gone', T0, T0 + 10 * MINUTE)).checks, 0)
    t.equal((await s.listTransitions(TENANT_A, 'gone')).items.length, 0, 'transitions removed')
    t.strictSame((await s.monitorStates(TENANT_A)).map((m) => m.monitorId), ['kept'], 'state removed')
    t.equal((await s.listIncidents(TENANT_A, { monitorId: 'gone' })).items.length, 0, 'incidents removed')
    t.equal((await s.listIncidents(TENANT_A)).items.length, 1, "the other monitor's incident stays")
    t.equal((await s.queryResults(TENANT_A, 'kept')).items.length, 2, "the other monitor's results stay")

    t.equal(await s.deleteMonitor(TENANT_A, 'gone'), false, 'second delete: false')
    t.equal(await s.deleteMonitor(TENANT_A, 'never-was'), false, 'unknown monitor: false')

    // Data can exist without a record (results written before the monitor was
    // stored, or after it was removed from config); deleting clears it too.
    await s.writeResults([httpResult(TENANT_A, 'orphan', T0)])
    t.equal(await s.deleteMonitor(TENANT_A, 'orphan'), true, 'data without a record: true, something was removed')
    t.equal((await s.queryResults(TENANT_A, 'orphan')).items.length, 0)

    await s.putMonitor(monitorRecord(TENANT_A, 'gone'))
    t.equal((await s.queryResults(TENANT_A, 'gone')).items.length, 0, 're-created monitor starts empty')
    t.equal((await s.listIncidents(TENANT_A, { monitorId: 'gone' })).items.length, 0)
  })
}
