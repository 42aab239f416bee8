import t from 'tap'
import { REDIS_URL, requireRedis } from './redis-available.test.util.js'
import { adminClient, sleep, startCoordinator, testPrefix, waitFor } from './test-support.test.util.js'

if (await requireRedis()) {
  t.test('exactly one of two racing owners gets each lease', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    for (let round = 0; round < 50; round++) {
      const name = `shard-${round}`
      const [gotA, gotB] = await Promise.all([a.acquireLease(name, 'node-a', 10_000), b.acquireLease(name, 'node-b', 10_000)])
      t.not(gotA, gotB, `${name}: one winner`)
      t.equal(await b.leaseHolder(name), gotA ? 'node-a' : 'node-b', `${name}: holder is the winner`)
      t.equal(await a.leaseHolder(name), await b.leaseHolder(name), 'both nodes agree')
    }
  })

  t.test('the holder renews; nobody else can take it meanwhile', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    t.equal(await a.acquireLease('alerts', 'node-a', 300), true)
    // Renew every 100 ms for 600 ms: twice the original ttl.
    for (let i = 0; i < 6; i++) {
      await sleep(100)
      t.equal(await a.acquireLease('alerts', 'node-a', 300), true, `renewal ${i + 1}`)
      t.equal(await b.acquireLease('alerts', 'node-b', 300), false, 'the other owner is refused')
    }
    t.equal(await b.leaseHolder('alerts'), 'node-a')
    t.ok((await admin.pttl(`${prefix}lease:alerts`)) > 0, 'the key has a ttl')
    t.equal(await admin.get(`${prefix}lease:alerts`), 'node-a', 'stored under <prefix>lease:<name> as the owner')
  })

  t.test('an unrenewed lease expires and another owner takes it', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    t.equal(await a.acquireLease('alerts', 'node-a', 150), true)
    t.equal(await b.acquireLease('alerts', 'node-b', 150), false)
    await waitFor('the lease to expire', async () => (await b.leaseHolder('alerts')) === undefined)
    t.equal(await b.acquireLease('alerts', 'node-b', 10_000), true)
    t.equal(await a.leaseHolder('alerts'), 'node-b')
  })

  t.test('a node never renews or releases a lease it lost', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    t.equal(await a.acquireLease('alerts', 'node-a', 100), true)
    await waitFor('the lease to expire', async () => (await a.leaseHolder('alerts')) === undefined)
    t.equal(await b.acquireLease('alerts', 'node-b', 10_000), true, 'b took it over')

    t.equal(await a.acquireLease('alerts', 'node-a', 10_000), false, 'a late renewal by a fails')
    t.equal(await a.releaseLease('alerts', 'node-a'), false, 'a late release by a fails')
    t.equal(await a.leaseHolder('alerts'), 'node-b', 'b still holds it')
  })

  t.test('only the holder releases', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    t.equal(await a.acquireLease('alerts', 'node-a', 10_000), true)
    t.equal(await b.releaseLease('alerts', 'node-b'), false, 'not released by a non-holder')
    t.equal(await b.leaseHolder('alerts'), 'node-a')
    t.equal(await a.releaseLease('alerts', 'node-a'), true, 'released by the holder')
    t.equal(await b.leaseHolder('alerts'), undefined)
    t.equal(await a.releaseLease('alerts', 'node-a'), false, 'a second release does nothing')
    t.equal(await b.acquireLease('alerts', 'node-b', 10_000), true, 'free for the next owner at once')
    t.equal(await a.releaseLease('never-taken', 'node-a'), false)
  })

  t.test('bad lease calls are refused', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const code = 'VDT_ERR_REDIS_INVALID_ARGUMENT'
    await t.rejects(a.acquireLease('', 'x', 1000), { code })
    await t.rejects(a.acquireLease('l', '', 1000), { code })
    await t.rejects(a.acquireLease('l', 'x', -5), { code })
    await t.rejects(a.acquireLease('l', 'x', Number.POSITIVE_INFINITY), { code })
    await t.rejects(a.releaseLease('l', ''), { code })
    await t.rejects(a.leaseHolder(''), { code })
  })
}
