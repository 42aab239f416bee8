import type { LiveStatus } from '@vedette/sdk'
import t from 'tap'
import { REDIS_URL, requireRedis } from './redis-available.test.util.js'
import { adminClient, startCoordinator, testPrefix } from './test-support.test.util.js'

if (await requireRedis()) {
  t.test('statuses round-trip between nodes, one entry per monitor', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    const api: LiveStatus = { monitorId: 'api', status: 'up', at: 1_700_000_000_000, latencyMs: 42.5 }
    const db: LiveStatus = { monitorId: 'db', status: 'down', at: 1_700_000_000_100, message: 'connection refused' }
    await a.putLiveStatus('acme', [api, db])

    t.strictSame(Object.fromEntries(await b.liveStatus('acme')), { api, db }, 'the whole tenant')
    t.strictSame(Object.fromEntries(await b.liveStatus('acme', ['db', 'missing'])), { db }, 'a subset; unknown ids left out')
    t.strictSame(await b.liveStatus('acme', []), new Map())
    t.strictSame(await b.liveStatus('nobody'), new Map(), 'an unknown tenant is empty')

    const apiDown: LiveStatus = { monitorId: 'api', status: 'down', at: 1_700_000_060_000 }
    await b.putLiveStatus('acme', [apiDown])
    t.strictSame(Object.fromEntries(await a.liveStatus('acme')), { api: apiDown, db }, 'replaced, not merged')
    t.strictSame(JSON.parse((await admin.hget(`${prefix}status:acme`, 'db')) ?? 'null'), db, 'a hash per tenant, JSON per monitor')
  })

  t.test('tenants are separate; big batches and repeats work', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const many = Array.from({ length: 1234 }, (_, i) => ({ monitorId: `m-${i}`, status: i % 7 === 0 ? 'down' : 'up', at: i }))
    await a.putLiveStatus('big', many)
    await a.putLiveStatus('other', [{ monitorId: 'm-1', status: 'paused', at: 1 }])
    await a.putLiveStatus('repeat', [
      { monitorId: 'x', status: 'up', at: 1 },
      { monitorId: 'x', status: 'down', at: 2 }
    ])
    await a.putLiveStatus('big', [])
    const big = await a.liveStatus('big')
    t.equal(big.size, 1234)
    t.equal(big.get('m-7')?.status, 'down')
    t.equal(big.get('m-1')?.status, 'up', "the other tenant's m-1 did not leak in")
    t.equal((await a.liveStatus('repeat')).get('x')?.status, 'down', 'the last entry for a monitor wins')
  })

  t.test('a damaged entry is skipped, not thrown', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    await a.putLiveStatus('acme', [{ monitorId: 'ok', status: 'up', at: 1 }])
    await admin.hset(`${prefix}status:acme`, 'broken', '{not json', 'wrong', JSON.stringify({ monitorId: 'other', status: 'up', at: 1 }))
    t.strictSame([...(await a.liveStatus('acme')).keys()], ['ok'])
    t.strictSame([...(await a.liveStatus('acme', ['broken', 'ok'])).keys()], ['ok'])
  })

  t.test('bad live status calls are refused', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const code = 'VDT_ERR_REDIS_INVALID_ARGUMENT'
    await t.rejects(a.putLiveStatus('', []), { code })
    await t.rejects(a.putLiveStatus('acme', [{ monitorId: '', status: 'up', at: 1 }]), { code, message: /index 0/ })
    await t.rejects(a.putLiveStatus('acme', [{ monitorId: 'a', status: 'up', at: 1 }, { monitorId: 'b', status: 'up' } as LiveStatus]), { code, message: /index 1/ })
    await t.rejects(a.liveStatus('acme', ['']), { code })
    t.strictSame(await a.liveStatus('acme'), new Map(), 'nothing of a refused batch was written')
  })
}
