import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { REDIS_URL, requireRedis } from './redis-available.test.util.js'
import { adminClient, sleep, startCoordinator, testPrefix, waitFor } from './test-support.test.util.js'

if (await requireRedis()) {
  t.test('nodes see each other, oldest startedAt first', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    await a.heartbeat({ nodeId: 'node-a', address: 'http://10.0.0.1:8080', startedAt: 2000, meta: { version: '0.1.0', monitors: 12 } }, 10_000)
    await b.heartbeat({ nodeId: 'node-b', startedAt: 1000, meta: {} }, 10_000)

    for (const view of [await a.members(), await b.members()]) {
      t.strictSame(
        view.map((m) => m.nodeId),
        ['node-b', 'node-a']
      )
      const nodeA = view[1]
      t.equal(nodeA?.address, 'http://10.0.0.1:8080')
      t.equal(nodeA?.startedAt, 2000)
      t.strictSame(nodeA?.meta, { version: '0.1.0', monitors: 12 })
      t.type(nodeA?.lastSeen, 'number')
      t.notOk('address' in (view[0] ?? {}), 'no address when none was given')
    }

    const before = (await a.members())[1]?.lastSeen ?? 0
    await sleep(5)
    await a.heartbeat({ nodeId: 'node-a', startedAt: 2000, meta: { version: '0.1.1' } }, 10_000)
    const after = (await b.members()).find((m) => m.nodeId === 'node-a')
    t.ok((after?.lastSeen ?? 0) > before, 'a heartbeat moves lastSeen forward')
    t.strictSame(after?.meta, { version: '0.1.1' }, 'meta replaced')
    t.notOk(after && 'address' in after, 'a field left out of the newer heartbeat is gone')
  })

  t.test('a member that stops heartbeating disappears after its ttl', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    await a.heartbeat({ nodeId: 'steady', startedAt: 1, meta: {} }, 60_000)
    await a.heartbeat({ nodeId: 'quiet', startedAt: 2, meta: {} }, 200)
    t.strictSame((await a.members()).map((m) => m.nodeId), ['steady', 'quiet'])
    await sleep(300)
    t.strictSame((await a.members()).map((m) => m.nodeId), ['steady'], 'gone once its ttl passed')
    t.equal(await admin.zscore(`${prefix}members`, 'quiet'), null, 'and dropped from the sorted set by that read')
    t.equal(await admin.exists(`${prefix}member:quiet`), 0, 'its hash expired on its own')
  })

  t.test('a node killed with -9 drops out after its ttl', async (t) => {
    const prefix = testPrefix(t)
    const observer = await startCoordinator(t, { url: REDIS_URL, prefix })
    // A real separate process that heartbeats every 50 ms with a 400 ms ttl
    // and never gets to leave: SIGKILL cannot be caught.
    const script = `
      import plugin from ${JSON.stringify(new URL('./index.js', import.meta.url).href)}
      import { silentLogger } from '@vedette/sdk'
      const c = await plugin.create({ url: ${JSON.stringify(REDIS_URL)}, prefix: ${JSON.stringify(prefix)} },
        { name: 'x', engineVersion: '0.1.0', dataDir: '/tmp', resolvePath: (p) => p, logger: silentLogger })
      await c.start()
      const beat = () => c.heartbeat({ nodeId: 'doomed', startedAt: 5, meta: { pid: process.pid } }, 400)
      await beat()
      setInterval(beat, 50)
      process.stdout.write('joined\\n')`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: new URL('..', import.meta.url).pathname })
    t.teardown(() => child.kill('SIGKILL'))
    await once(child.stdout, 'data')
    t.ok((await observer.members()).some((m) => m.nodeId === 'doomed' && m.meta.pid === child.pid), 'the child joined')

    child.kill('SIGKILL')
    await once(child, 'exit')
    await waitFor('the killed node to drop out', async () => !(await observer.members()).some((m) => m.nodeId === 'doomed'))
    t.pass('gone without a leave')
  })

  t.test('leave removes the node at once; stop leaves for the nodes it joined', async (t) => {
    const prefix = testPrefix(t)
    const admin = adminClient(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const b = await startCoordinator(t, { url: REDIS_URL, prefix })
    await a.heartbeat({ nodeId: 'a', startedAt: 1, meta: {} }, 60_000)
    await b.heartbeat({ nodeId: 'b', startedAt: 2, meta: {} }, 60_000)

    await a.leave('a')
    t.strictSame((await b.members()).map((m) => m.nodeId), ['b'], 'a left without waiting for its ttl')
    t.equal(await admin.exists(`${prefix}member:a`), 0)

    await b.stop()
    t.strictSame(await a.members(), [], 'b left on stop')
    t.strictSame(await admin.zrange(`${prefix}members`, '0', '-1'), [])
  })

  t.test('bad calls are refused before reaching Redis', async (t) => {
    const prefix = testPrefix(t)
    const a = await startCoordinator(t, { url: REDIS_URL, prefix })
    const code = 'VDT_ERR_REDIS_INVALID_ARGUMENT'
    await t.rejects(a.heartbeat({ nodeId: '', startedAt: 1, meta: {} }, 1000), { code })
    await t.rejects(a.heartbeat({ nodeId: 'a', startedAt: 1, meta: {} }, 0), { code, message: /ttlMs/ })
    await t.rejects(a.heartbeat({ nodeId: 'a', startedAt: Number.NaN, meta: {} }, 1000), { code, message: /startedAt/ })
    await t.rejects(a.leave(''), { code })
    t.strictSame(await a.members(), [])
  })
}
