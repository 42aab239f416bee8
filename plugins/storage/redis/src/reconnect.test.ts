import { closedPort } from '@vedette/sdk/testing'
import t from 'tap'
import { REDIS_HOST, REDIS_PORT, REDIS_URL, requireRedis } from './redis-available.test.util.js'
import { TcpProxy } from './tcp-proxy.test.util.js'
import { adminClient, capturingLogger, Inbox, startCoordinator, testPrefix, waitFor, type LogLine } from './test-support.test.util.js'

if (await requireRedis()) {
  t.test('connections killed by the server come back, subscriptions included', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    const inbox = new Inbox()
    await a.subscribe('config', inbox.handler)
    const channel = `${prefix}events:config`

    // Kill all four connections of a and b (found by the client names that
    // carry the prefix), by id, so nothing else on this Redis is touched.
    const list = await admin.client('LIST')
    const ids = String(list)
      .split('\n')
      .filter((line) => line.includes(`name=vedette-commands:${prefix} `) || line.includes(`name=vedette-events:${prefix} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
    t.equal(ids.length, 4, 'two named connections per coordinator')
    for (const id of ids) await admin.client('KILL', 'ID', String(id))
    t.strictSame(await admin.pubsub('NUMSUB', channel), [channel, 0], 'the subscription is gone on the server')

    await waitFor('both coordinators to reconnect', () => a.healthy() && b.healthy())
    await waitFor('the resubscription', async () => ((await admin.pubsub('NUMSUB', channel)) as [string, number])[1] === 1)
    await b.publish('config', { from: 'b', type: 'after-kill', payload: {} })
    t.equal((await inbox.next()).type, 'after-kill', 'delivered on the restored subscription')
    t.equal(await a.acquireLease('l', 'a', 1000), true, 'commands work again')
  })

  t.test('Redis goes away and comes back', async (t) => {
    const prefix = testPrefix(t)
    const proxy = await TcpProxy.start(t, REDIS_HOST, REDIS_PORT)
    const lines: LogLine[] = []
    const viaProxy = await startCoordinator(t, { url: `redis://127.0.0.1:${proxy.port}`, prefix }, capturingLogger(lines))
    const direct = await startCoordinator(t, { url: REDIS_URL, prefix })
    const inbox = new Inbox()
    await viaProxy.subscribe('status', inbox.handler)
    await viaProxy.heartbeat({ nodeId: 'p', startedAt: 1, meta: {} }, 60_000)
    t.equal(viaProxy.healthy(), true)

    await proxy.down()
    await waitFor('healthy() to turn false', () => !viaProxy.healthy())
    await t.rejects(viaProxy.members(), { code: 'VDT_ERR_REDIS_UNAVAILABLE', statusCode: 503 }, 'fails fast while down')
    await t.rejects(viaProxy.acquireLease('l', 'p', 1000), { code: 'VDT_ERR_REDIS_UNAVAILABLE' })
    await t.rejects(viaProxy.subscribe('other', () => {}), { code: 'VDT_ERR_REDIS_UNAVAILABLE' })
    t.ok(lines.some((l) => l.level === 'warn'), 'the loss was logged')

    await proxy.up()
    await waitFor('healthy() to turn true again', () => viaProxy.healthy())
    t.ok(lines.some((l) => l.level === 'info' && l.msg === 'redis connection restored'), 'the recovery was logged')
    t.strictSame((await viaProxy.members()).map((m) => m.nodeId), ['p'], 'commands work again')
    await waitFor('the resubscription', async () => {
      await direct.publish('status', { from: 'direct', type: 'probe', payload: {} })
      return inbox.messages.length > 0
    })
    t.equal((await inbox.next()).from, 'direct', 'the subscription made before the outage delivers again')
  })

  t.test('a node that boots while Redis is down connects when it comes', async (t) => {
    const prefix = testPrefix(t)
    const proxy = new TcpProxy(REDIS_HOST, REDIS_PORT)
    proxy.port = await closedPort()
    t.teardown(() => proxy.down())
    const c = await startCoordinator(t, { url: `redis://127.0.0.1:${proxy.port}`, prefix }, capturingLogger([]))
    t.equal(c.healthy(), false)
    await t.rejects(c.leaseHolder('l'), { code: 'VDT_ERR_REDIS_UNAVAILABLE' })
    await proxy.up()
    await waitFor('the first connection', () => c.healthy())
    t.equal(await c.acquireLease('l', 'n', 1000), true)
  })

  t.test('wrong credentials: unhealthy, coded errors, the reason logged without the password', async (t) => {
    const lines: LogLine[] = []
    const c = await startCoordinator(t, { url: `redis://vdt-no-such-user:s3cret@${REDIS_HOST}:${REDIS_PORT}`, prefix: testPrefix(t) }, capturingLogger(lines))
    t.equal(c.healthy(), false)
    const err = await c.members().then(
      () => undefined,
      (e: unknown) => e as Error
    )
    t.match(err, { code: 'VDT_ERR_REDIS_UNAVAILABLE', statusCode: 503 })
    t.ok(lines.some((l) => l.level === 'warn' && JSON.stringify(l.obj).includes('WRONGPASS')), 'the log says why')
    t.notMatch(JSON.stringify(lines) + String(err?.message), /s3cret/)
  })
}
