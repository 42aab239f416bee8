import { createServer, type AddressInfo, type Socket } from 'node:net'
import type { Coordinator } from '@vedette/sdk'
import { closedPort } from '@vedette/sdk/testing'
import t from 'tap'
import plugin from './index.js'
import { capturingLogger, pluginContext, sleep, startCoordinator, type LogLine } from './test-support.test.util.js'

// None of this needs a Redis: it is about the plugin's side when there is none.

/** Every call of the contract, each expected to reject. */
function everyCall(c: Coordinator): [string, () => Promise<unknown>][] {
  return [
    ['heartbeat', () => c.heartbeat({ nodeId: 'n', startedAt: 1, meta: {} }, 1000)],
    ['leave', () => c.leave('n')],
    ['members', () => c.members()],
    ['acquireLease', () => c.acquireLease('l', 'n', 1000)],
    ['releaseLease', () => c.releaseLease('l', 'n')],
    ['leaseHolder', () => c.leaseHolder('l')],
    ['publish', () => c.publish('ch', { from: 'n', type: 't', payload: {} })],
    ['subscribe', () => c.subscribe('ch', () => {})],
    ['putLiveStatus', () => c.putLiveStatus('t', [{ monitorId: 'm', status: 'up', at: 1 }])],
    ['liveStatus', () => c.liveStatus('t')]
  ]
}

t.test('Redis unreachable: start still resolves, healthy() is false, every call fails fast with a 503', async (t) => {
  const port = await closedPort()
  const lines: LogLine[] = []
  const c = await startCoordinator(t, { url: `redis://app:s3cret@127.0.0.1:${port}`, prefix: 'x:' }, capturingLogger(lines))
  t.equal(c.healthy(), false)
  for (const [name, call] of everyCall(c)) {
    const err = (await call().then(
      () => undefined,
      (e: unknown) => e
    )) as { code?: string; statusCode?: number; message?: string } | undefined
    t.match(err, { code: 'VDT_ERR_REDIS_UNAVAILABLE', statusCode: 503, message: `Redis at redis://app:***@127.0.0.1:${port} is unavailable (${name})` }, name)
    t.notMatch(err?.message ?? '', /s3cret/, `${name}: no password in the error`)
  }

  await sleep(400) // a few reconnection attempts (100, 200 ms...)
  t.equal(c.healthy(), false, 'still down')
  const warnings = lines.filter((l) => l.level === 'warn')
  t.equal(warnings.length, 2, 'one warning per connection, not one per retry')
  t.match(warnings[0]?.obj, { redis: `redis://app:***@127.0.0.1:${port}`, err: /ECONNREFUSED/ })
  t.notMatch(JSON.stringify(lines), /s3cret/, 'no password in any log line')
})

t.test('a server that accepts but never answers: commands time out instead of hanging', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    silent.close()
  })
  const { port } = silent.address() as AddressInfo
  const c = await startCoordinator(t, { url: `redis://127.0.0.1:${port}`, connectTimeout: 200, commandTimeout: 200 })
  t.equal(c.healthy(), false, 'never ready: the handshake got no reply')
  await t.rejects(c.members(), { code: 'VDT_ERR_REDIS_UNAVAILABLE', statusCode: 503 })
  await t.rejects(c.acquireLease('l', 'n', 1000), { code: 'VDT_ERR_REDIS_UNAVAILABLE' })
})

t.test('calls before start and after stop are refused with their own code', async (t) => {
  const c = await plugin.create({ url: `redis://127.0.0.1:${await closedPort()}` }, pluginContext())
  t.equal(c.healthy(), false)
  await t.rejects(c.members(), { code: 'VDT_ERR_REDIS_NOT_STARTED', statusCode: 503 })
  await c.start()
  await c.stop()
  await c.stop()
  t.equal(c.healthy(), false)
  for (const [name, call] of everyCall(c)) await t.rejects(call(), { code: 'VDT_ERR_REDIS_NOT_STARTED' }, name)
})
