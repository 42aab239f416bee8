import type { Test } from 'tap'
import type { CheckResult } from '../check-result.js'
import type { StorageInstance } from '../storage.js'
import {
  collectPages,
  fullResult,
  httpResult,
  MINUTE,
  monitorRecord,
  resultListMismatches,
  SECOND,
  T0,
  TENANT_A,
  TENANT_B,
  transition
} from './storage-conformance-fixtures.js'
import { expected, history, RETENTION_NOW, summaryMismatch, TEST_RETENTION } from './storage-conformance-retention.js'
import type { StorageFactory } from './storage-conformance.js'

/** Everything a store can be asked, read in full; two snapshots of the same data must be equal. */
async function snapshot(s: StorageInstance, tenants: readonly string[]): Promise<unknown> {
  const out: Record<string, unknown> = {}
  for (const tenant of tenants) {
    const monitors = (await collectPages((cursor) => s.listMonitors(tenant, { limit: 1000, cursor }))).items
    const ids = [...new Set([...monitors.map((m) => m.id), 'orphan'])]
    const perMonitor: Record<string, unknown> = {}
    for (const id of ids) {
      perMonitor[id] = {
        results: (await collectPages((cursor) => s.queryResults(tenant, id, { limit: 1000, order: 'asc', cursor }))).items,
        transitions: (await s.listTransitions(tenant, id, { order: 'asc', limit: 1000 })).items,
        uptime: await s.uptime(tenant, id, T0, T0 + 24 * 60 * MINUTE)
      }
    }
    out[tenant] = {
      monitors,
      perMonitor,
      latest: [...(await s.latestResults(tenant)).entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      states: [...(await s.monitorStates(tenant))].sort((a, b) => (a.monitorId < b.monitorId ? -1 : 1)),
      incidents: (await s.listIncidents(tenant, { limit: 1000 })).items
    }
  }
  return out
}

/** Write, stop, reopen, read everything back: nothing acknowledged may be lost. */
export function durabilityTests(t: Test, factory: StorageFactory): void {
  const reopen = factory.reopen?.bind(factory)
  if (reopen === undefined) return

  t.test('durability: everything written survives stop and reopen', async (t) => {
    const first = await factory.create()
    await first.start()
    let firstStopped = false
    t.teardown(async () => {
      if (!firstStopped) await first.stop()
    })

    const written: CheckResult[] = []
    for (const tenant of [TENANT_A, TENANT_B]) {
      for (const id of ['web', 'api', 'db']) await first.putMonitor(monitorRecord(tenant, id, { tags: [tenant, id] }))
      for (let i = 0; i < 600; i++) {
        for (const id of ['web', 'api', 'db']) written.push({ ...httpResult(tenant, id, T0 + i * 10 * SECOND, i), status: i % 50 === 7 ? 'down' : 'up' })
      }
      written.push(fullResult(tenant, 'orphan', T0))
      await first.recordTransition(transition(tenant, 'web', 'pending', 'up', T0))
      await first.recordTransition(transition(tenant, 'web', 'up', 'down', T0 + MINUTE, 'refused'))
      await first.recordTransition(transition(tenant, 'web', 'down', 'up', T0 + 2 * MINUTE))
      await first.recordTransition(transition(tenant, 'api', 'pending', 'degraded', T0 + 3 * MINUTE, 'slow'))
    }
    for (let i = 0; i < written.length; i += 500) await first.writeResults(written.slice(i, i + 500))
    const before = await snapshot(first, [TENANT_A, TENANT_B])
    await first.stop()
    firstStopped = true

    const second = await reopen()
    await second.start()
    t.teardown(() => second.stop())
    const after = await snapshot(second, [TENANT_A, TENANT_B])
    t.strictSame(after, before, 'every read returns what it returned before the restart')

    const back: CheckResult[] = []
    for (const tenant of [TENANT_A, TENANT_B]) {
      for (const id of ['web', 'api', 'db', 'orphan']) {
        back.push(...(await collectPages((cursor) => second.queryResults(tenant, id, { order: 'asc', limit: 1000, cursor }))).items)
      }
    }
    const key = (r: CheckResult): string => `${r.tenantId}/${r.monitorId}/${r.startedAt}`
    const expected = [...written].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    back.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    t.strictSame(resultListMismatches(back, expected), [], `all ${written.length} results match what was written`)

    // The reopened store keeps working, and new incident ids do not collide with old ones.
    const oldIds = new Set((await second.listIncidents(TENANT_A)).items.map((x) => x.id))
    await second.recordTransition(transition(TENANT_A, 'db', 'up', 'down', T0 + 9 * MINUTE, 'after restart'))
    const fresh = (await second.listIncidents(TENANT_A, { monitorId: 'db' })).items
    t.equal(fresh.length, 1)
    t.notOk(oldIds.has(fresh[0]?.id as string), 'a new incident gets an unused id')
    await second.writeResults([httpResult(TENANT_A, 'web', T0 + 601 * 10 * SECOND)])
    t.equal((await second.latestResults(TENANT_A, ['web'])).get('web')?.startedAt, T0 + 601 * 10 * SECOND)
  })

  t.test('durability: outbox, rollups and pending late results survive stop and reopen', async (t) => {
    const options = { retention: { ...TEST_RETENTION } }
    const first = await factory.create(options)
    await first.start()
    let firstStopped = false
    t.teardown(async () => {
      if (!firstStopped) await first.stop()
    })
    const now = RETENTION_NOW
    const results = history(TENANT_A, 'r', T0, now)
    for (let i = 0; i < results.length; i += 500) await first.writeResults(results.slice(i, i + 500))
    const item = { tenantId: TENANT_A, channelId: 'mail', alertIds: ['a1'], notification: { title: 'down' }, createdAt: T0, nextAttemptAt: T0 }
    await first.enqueueOutbox([{ ...item, id: 'o1' }, { ...item, id: 'o2' }, { ...item, id: 'o3' }])
    await first.claimOutbox('node-1', T0, 60 * MINUTE, 2)
    await first.settleOutbox(TENANT_A, 'o1', 'node-1', { at: T0 + 1, ok: true, status: 200, latencyMs: 3 }, { state: 'delivered' })
    await first.maintain(now)
    // Late: its minute is rolled up already; the next pass must still take it in.
    const late: CheckResult = { tenantId: TENANT_A, monitorId: 'r', startedAt: now - 24 * 60 * MINUTE - 3 * 60 * MINUTE, status: 'down', latencyMs: 777 }
    await first.writeResults([late])
    const windows: [number, number][] = [[T0 + 2 * 24 * 60 * MINUTE, now + 1], [T0 + 5 * 24 * 60 * MINUTE, T0 + 6 * 24 * 60 * MINUTE], [now - 60 * MINUTE, now]]
    const read = async (s: StorageInstance): Promise<unknown> => ({
      uptime: await Promise.all(windows.map(([from, to]) => s.uptime(TENANT_A, 'r', from, to))),
      outbox: (await s.listOutbox(TENANT_A)).items,
      policy: s.retentionPolicy()
    })
    const before = await read(first)
    await first.stop()
    firstStopped = true

    const second = await reopen(options)
    await second.start()
    t.teardown(() => second.stop())
    t.strictSame(await read(second), before, 'uptime answers (rollups and their tiers), the outbox with leases and attempts, the policy')
    t.strictSame((await second.claimOutbox('node-2', T0 + 1, 60 * MINUTE, 10)).map((x) => x.id), ['o3'], 'leases survive: o2 is still held')
    await second.maintain(now + 24 * 60 * MINUTE)
    const hour = now - 27 * 60 * MINUTE - ((now - 27 * 60 * MINUTE) % (60 * MINUTE))
    const got = await second.uptime(TENANT_A, 'r', hour, hour + 60 * MINUTE)
    t.equal(summaryMismatch(got, expected([...results, late], hour, hour + 60 * MINUTE), 'minute'), undefined, 'a late result written before the restart is rolled up after it')
  })
}
