import { readFileSync } from 'node:fs'
import { DEFAULT_RETENTION_POLICY, isStoragePlugin, isVedetteError, retentionConfigSchema, silentLogger, type PluginContext, type RetentionPolicy } from '@vedette/sdk'
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

/** The suite's retention policy as this plugin's `retention` config block (integer milliseconds are accepted). */
const retentionConfig = (p: RetentionPolicy) => ({ raw: p.rawMs, minute: p.minuteMs, hour: p.hourMs, day: p.dayMs })

await storageConformance(
  t,
  { create: async (options) => plugin.create(options?.retention === undefined ? {} : { retention: retentionConfig(options.retention) }, ctx) },
  { name: 'memory' }
)

t.test('plugin shape and config', async (t) => {
  t.ok(isStoragePlugin(plugin), 'branded as a storage plugin')
  t.ok((await plugin.create({}, ctx)) instanceof MemoryStorage)
  t.ok((await plugin.create(undefined as never, ctx)) instanceof MemoryStorage, 'no config block at all')
  t.throws(() => plugin.create({ path: 'x' } as never, ctx), { code: 'VDT_ERR_MEMORY_INVALID_CONFIG', message: /'path'/ })
  t.throws(() => plugin.create([] as never, ctx), { code: 'VDT_ERR_MEMORY_INVALID_CONFIG' })
  const custom = await plugin.create({ retention: { raw: '1d', minute: '2w' } }, ctx)
  t.strictSame(custom.retentionPolicy(), { ...DEFAULT_RETENTION_POLICY, rawMs: 86_400_000, minuteMs: 14 * 86_400_000 }, 'retention durations, defaults for the rest')
  t.throws(() => plugin.create({ retention: { raw: '90d' } }, ctx), { code: 'VDT_ERR_STORAGE_INVALID_RETENTION', message: /minute rollups must be kept at least as long as raw/ })
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { vedette: { configSchema: { properties: Record<string, unknown> } } }
  t.strictSame(manifest.vedette.configSchema.properties.retention, retentionConfigSchema, "the manifest's retention schema is the SDK's")
})

t.test('retention is applied while the store runs', async (t) => {
  const s = await plugin.create({ retention: { raw: '1d', minute: '2d', hour: '3d', day: '4d' } }, ctx)
  await s.start()
  t.teardown(() => s.stop())
  const day = 86_400_000
  const t0 = Date.UTC(2025, 5, 1)
  await s.writeResults(Array.from({ length: 48 }, (_, i) => ({ tenantId: 'default', monitorId: 'm', startedAt: t0 + i * 3_600_000, status: 'up' as const, latencyMs: 10 + i })))
  const report = await s.maintain(t0 + 2 * day)
  t.equal(report.deleted.raw, 24, 'the first day of raw results is past a 1d retention')
  t.equal((await s.queryResults('default', 'm', { limit: 1000 })).items.length, 24)
  const firstDay = await s.uptime('default', 'm', t0, t0 + day)
  t.match(firstDay, { tier: 'minute', checks: 24, ratio: 1, latency: { min: 10, max: 33 } }, 'answered from rollups')
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
  await t.rejects(s.maintain(undefined as never), { code: 'VDT_ERR_STORAGE_INVALID_QUERY', message: /now must be finite/ })
})
