import t from 'tap'
import { capturingLogger, Inbox, type LogLine, adminClient, startCoordinator, testPrefix, waitFor } from './test-support.test.util.js'
import { REDIS_URL, requireRedis } from './redis-available.test.util.js'

if (await requireRedis()) {
  t.test('messages reach every subscribed node, the publisher included', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    const inboxA = new Inbox()
    const inboxB = new Inbox()
    await a.subscribe('config', inboxA.handler)
    await b.subscribe('config', inboxB.handler)
    t.strictSame(await admin.pubsub('NUMSUB', `${prefix}events:config`), [`${prefix}events:config`, 2], 'on <prefix>events:<channel>')

    const message = { from: 'node-a', type: 'config.applied', payload: { version: 7, by: 'ops@example.com', tags: ['a', 'b'] } }
    await a.publish('config', message)
    t.strictSame(await inboxB.next(), message, 'b got it')
    t.strictSame(await inboxA.next(), message, 'a got its own')

    await b.publish('config', { from: 'node-b', type: 'ping', payload: {} })
    t.equal((await inboxA.next()).from, 'node-b')
    t.equal((await inboxB.next()).from, 'node-b')
  })

  t.test('channels and prefixes are separate', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const otherCluster = await startCoordinator(t, { url: REDIS_URL, prefix: testPrefix(t) })
    const config = new Inbox()
    const status = new Inbox()
    const foreign = new Inbox()
    await a.subscribe('config', config.handler)
    await a.subscribe('status', status.handler)
    await otherCluster.subscribe('config', foreign.handler)

    await a.publish('status', { from: 'a', type: 'status', payload: { n: 1 } })
    await a.publish('config', { from: 'a', type: 'config', payload: { n: 2 } })
    t.equal((await status.next()).type, 'status')
    t.equal((await config.next()).type, 'config')
    // Published after the others on the same connection, so delivered after them too.
    await otherCluster.publish('config', { from: 'x', type: 'marker', payload: {} })
    t.equal((await foreign.next()).type, 'marker', 'the other cluster only saw its own message')
    t.equal(config.messages.length, 1, 'no cross-channel delivery')
    t.equal(status.messages.length, 1)
  })

  t.test('unsubscribe stops one handler; the last one unsubscribes from Redis', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const first = new Inbox()
    const second = new Inbox()
    const offFirst = await a.subscribe('config', first.handler)
    const offSecond = await a.subscribe('config', second.handler)
    await offFirst()
    await a.publish('config', { from: 'a', type: 'one', payload: {} })
    t.equal((await second.next()).type, 'one')
    t.equal(first.messages.length, 0, 'the unsubscribed handler was not called')
    t.strictSame(await admin.pubsub('NUMSUB', `${prefix}events:config`), [`${prefix}events:config`, 1])
    await offSecond()
    await offSecond()
    t.strictSame(await admin.pubsub('NUMSUB', `${prefix}events:config`), [`${prefix}events:config`, 0], 'no subscription left in Redis')
  })

  t.test('garbage on a channel and a throwing handler do not break delivery', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const lines: LogLine[] = []
    const a = await startCoordinator(t, { url: REDIS_URL, prefix }, capturingLogger(lines))
    const inbox = new Inbox()
    await a.subscribe('config', () => {
      throw new Error('handler bug')
    })
    await a.subscribe('config', inbox.handler)
    await admin.publish(`${prefix}events:config`, 'not json')
    await admin.publish(`${prefix}events:config`, JSON.stringify({ type: 'no from' }))
    await a.publish('config', { from: 'a', type: 'fine', payload: {} })
    t.equal((await inbox.next()).type, 'fine', 'the good message arrived')
    t.equal(inbox.messages.length, 1, 'the malformed ones were dropped')
    await waitFor('the warnings', () => lines.filter((l) => l.msg?.includes('not a JSON ClusterMessage')).length === 2)
    t.ok(lines.some((l) => l.level === 'error' && l.msg?.includes('handler threw')), 'the throwing handler was logged')
  })

  t.test('bad publish and subscribe calls are refused', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const code = 'VDT_ERR_REDIS_INVALID_ARGUMENT'
    await t.rejects(a.publish('config', { from: 'a', type: 'x' } as never), { code })
    await t.rejects(a.publish('', { from: 'a', type: 'x', payload: {} }), { code })
    await t.rejects(a.subscribe('config', 'nope' as never), { code })
  })
}
