import type { Test } from 'tap'
import type { CheckResult } from '../check-result.js'
import type { StorageInstance } from '../storage.js'
import {
  httpResult,
  MINUTE,
  monitorRecord,
  T0,
  TENANT_A,
  TENANT_B,
  transition,
  type OpenStore
} from './storage-conformance-fixtures.js'

/** Two tenants with the same monitor ids: every read and delete stays inside its tenant. */
export function tenancyTests(t: Test, open: OpenStore): void {
  t.test('tenants never see each other', async (t) => {
    const s = await open(t)
    const seed = async (tenant: string, status: CheckResult['status'], to: 'down' | 'degraded'): Promise<void> => {
      await s.putMonitor(monitorRecord(tenant, 'shared', { name: `shared of ${tenant}` }))
      await s.putMonitor(monitorRecord(tenant, `only-${tenant}`))
      await s.writeResults([0, 1, 2].map((i) => ({ ...httpResult(tenant, 'shared', T0 + i * MINUTE, i), status })))
      await s.writeResults([httpResult(tenant, `only-${tenant}`, T0)])
      await s.recordTransition(transition(tenant, 'shared', 'pending', to, T0, `${tenant} ${to}`))
      await s.recordTransition(transition(tenant, `only-${tenant}`, 'pending', 'up', T0))
    }
    await seed(TENANT_A, 'up', 'down')
    await seed(TENANT_B, 'degraded', 'degraded')

    const checkTenant = async (tenant: string, other: string, status: string, to: string, store: StorageInstance): Promise<void> => {
      t.equal((await store.getMonitor(tenant, 'shared'))?.name, `shared of ${tenant}`, `${tenant}: getMonitor`)
      t.equal(await store.getMonitor(tenant, `only-${other}`), undefined, `${tenant}: getMonitor of the other tenant's id`)
      t.strictSame((await store.listMonitors(tenant)).items.map((m) => m.id).sort(), [`only-${tenant}`, 'shared'], `${tenant}: listMonitors`)
      const results = (await store.queryResults(tenant, 'shared')).items
      t.strictSame(results.map((r) => [r.tenantId, r.status]), Array(3).fill([tenant, status]), `${tenant}: queryResults`)
      t.strictSame((await store.queryResults(tenant, `only-${other}`)).items, [], `${tenant}: queryResults of the other tenant's id`)
      const latest = await store.latestResults(tenant)
      t.strictSame([...latest.keys()].sort(), [`only-${tenant}`, 'shared'], `${tenant}: latestResults`)
      t.equal(latest.get('shared')?.tenantId, tenant)
      t.strictSame([...(await store.latestResults(tenant, [`only-${other}`])).keys()], [], `${tenant}: latestResults by the other's id`)
      const up = await store.uptime(tenant, 'shared', T0, T0 + 10 * MINUTE)
      t.equal(up.checks, 3, `${tenant}: uptime`)
      t.equal(up.counts[status as CheckResult['status']], 3)
      t.equal((await store.uptime(tenant, `only-${other}`, T0, T0 + MINUTE)).checks, 0)
      const tr = (await store.listTransitions(tenant, 'shared')).items
      t.strictSame(tr.map((e) => [e.tenantId, e.to]), [[tenant, to]], `${tenant}: listTransitions`)
      t.strictSame((await store.listTransitions(tenant, `only-${other}`)).items, [])
      const states = await store.monitorStates(tenant)
      t.strictSame(states.map((x) => [x.tenantId, x.monitorId, x.status]).sort(), [[tenant, `only-${tenant}`, 'up'], [tenant, 'shared', to]], `${tenant}: monitorStates`)
      const incidents = (await store.listIncidents(tenant)).items
      t.strictSame(incidents.map((x) => [x.tenantId, x.monitorId, x.status]), [[tenant, 'shared', to]], `${tenant}: listIncidents`)
      t.strictSame((await store.listIncidents(tenant, { monitorId: `only-${other}` })).items, [])
    }
    await checkTenant(TENANT_A, TENANT_B, 'up', 'down', s)
    await checkTenant(TENANT_B, TENANT_A, 'degraded', 'degraded', s)

    t.equal(await s.deleteMonitor(TENANT_A, `only-${TENANT_B}`), false, "deleting the other tenant's id: false")
    t.ok(await s.getMonitor(TENANT_B, `only-${TENANT_B}`), 'and it is still there')
    t.equal(await s.deleteMonitor(TENANT_A, 'shared'), true)
    t.equal(await s.getMonitor(TENANT_A, 'shared'), undefined, 'gone for A')
    await checkTenant(TENANT_B, TENANT_A, 'degraded', 'degraded', s)

    t.strictSame((await s.listMonitors('tenant-c')).items, [], 'an unknown tenant sees nothing')
    t.equal((await s.latestResults('tenant-c')).size, 0)
    t.strictSame(await s.monitorStates('tenant-c'), [])
    t.strictSame((await s.listIncidents('tenant-c')).items, [])
  })
}
