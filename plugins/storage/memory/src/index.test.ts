import { isStoragePlugin, isVedetteError, silentLogger, type PluginContext } from '@vedette/sdk'
import { storageConformance } from '@vedette/sdk/testing'
import t from 'tap'
import plugin, { MemoryStorage } from './index.js'

const ctx: PluginContext = {
  name: '@vedette/storage-memory',
  engineVersion: '0.1.0',
  dataDir: '/nonexistent',
  resolvePath: (p) => p,
  logger: silentLogger
}

await storageConformance(t, { create: async () => plugin.create({}, ctx) }, { name: 'memory' })

t.test('plugin shape and config', async (t) => {
  t.ok(isStoragePlugin(plugin), 'branded as a storage plugin')
  t.ok((await plugin.create({}, ctx)) instanceof MemoryStorage)
  t.ok((await plugin.create(undefined as never, ctx)) instanceof MemoryStorage, 'no config block at all')
  t.throws(() => plugin.create({ path: 'x' } as never, ctx), { code: 'VDT_ERR_MEMORY_INVALID_CONFIG', message: /'path'/ })
  t.throws(() => plugin.create([] as never, ctx), { code: 'VDT_ERR_MEMORY_INVALID_CONFIG' })
})

t.test('calls outside start()..stop() are refused; stop() drops the data', async (t) => {
  const s = await plugin.create({}, ctx)
  await t.rejects(s.listMonitors('default'), { code: 'VDT_ERR_STORAGE_NOT_STARTED', statusCode: 503 })
  await s.start()
  await s.writeResults([{ tenantId: 'default', monitorId: 'm', startedAt: 1, status: 'up', latencyMs: 1 }])
  await s.stop()
  const err = await s.latestResults('default').catch((e: unknown) => e)
  t.ok(isVedetteError(err) && err.code === 'VDT_ERR_STORAGE_NOT_STARTED', 'after stop')
  await s.start()
  t.equal((await s.latestResults('default')).size, 0, 'a restarted memory store is empty')
  await s.stop()
})

t.test('invalid records name the field', async (t) => {
  const s = await plugin.create({}, ctx)
  await s.start()
  t.teardown(() => s.stop())
  await t.rejects(s.putMonitor({ tenantId: 'default', id: '' } as never), { code: 'VDT_ERR_STORAGE_INVALID_RECORD', message: /id must be a non-empty string/ })
  await t.rejects(
    s.recordTransition({ tenantId: 'default', monitorId: 'm', from: 'up', to: 'broken', reason: '', at: 1 } as never),
    { code: 'VDT_ERR_STORAGE_INVALID_RECORD', message: /to must be one of/ }
  )
  await t.rejects(
    s.writeResults([{ tenantId: 'default', monitorId: 'm', startedAt: 1, status: 'up', latencyMs: 1, phases: { dns: 'fast' } } as never]),
    { message: /result #0 of the batch: phase dns must be a finite number/ }
  )
  await t.rejects(s.listIncidents('default', { open: 'yes' as never }), { code: 'VDT_ERR_STORAGE_INVALID_QUERY', statusCode: 400 })
  await t.rejects(s.uptime('default', 'm', Number.NaN, 1), { code: 'VDT_ERR_STORAGE_INVALID_QUERY' })
})
