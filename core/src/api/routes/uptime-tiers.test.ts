import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@vedette/sdk'
import type { CheckResult } from '@vedette/sdk'
import { Engine } from '../../engine/engine.js'
import { describeCatalog } from '../../engine/load-engine-config.js'
import { testConfig } from '../../engine/test-config.js'
import { PluginLoader } from '../../plugins/plugin-loader.js'
import { ConfigService } from '../../config-service/config-service.js'
import { createServer } from '../../server/create-server.js'
import { createLogger } from '../../logger.js'

t.test('monthly and yearly uptime come from rollups once raw results are past retention', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-uptime-'))
  const config = testConfig({ dataDir, storage: { plugin: '@vedette/storage-sqlite', config: {} } })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage: 'sqlite' })
  const engine = await Engine.create({ config, baseDir: dataDir, logger: silentLogger, catalog })
  await engine.openStorage()
  const document = { monitors: [{ id: 'web', type: 'tcp', interval: '1h', config: { host: '127.0.0.1', port: 1 } }] }
  const service = new ConfigService({ engine, plugins: describeCatalog(catalog), baseDir: dataDir, logger: silentLogger })
  await engine.start(await service.init(document, JSON.stringify(document), 'test.yaml'))
  const app = await createServer(engine, { logger: createLogger({ level: 'silent', pretty: false }), config: service })
  t.teardown(async () => {
    await app.close()
    await engine.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  // 200 days of hourly results, one in ten down; the newest day stays raw.
  const now = Date.now()
  const hour = 3_600_000
  const batch: CheckResult[] = []
  let down = 0
  for (let h = 200 * 24; h >= 1; h--) {
    const failing = h % 10 === 0
    if (failing && h <= 30 * 24) down++
    batch.push({ tenantId: 'default', monitorId: 'web', startedAt: now - h * hour, latencyMs: failing ? 900 : 100 + (h % 7), status: failing ? 'down' : 'up' })
  }
  await engine.storage.writeResults(batch)
  await engine.jobs.runRetention(now)

  const month = (await app.inject({ url: '/api/v1/monitors/web/uptime?window=30d' })).json()
  t.not(month.tier, 'raw', `a 30-day window is answered from rollups (${month.tier})`)
  t.ok(month.checks >= 30 * 24 - 1 && month.checks <= 30 * 24 + 24, `${month.checks} checks in the month (rounded out to whole buckets)`)
  t.ok(Math.abs(month.counts.down - down) <= 3, `downs ${month.counts.down} vs ${down} written`)
  t.equal(month.latency.max, 900)
  const year = (await app.inject({ url: '/api/v1/monitors/web/uptime?window=365d' })).json()
  t.not(year.tier, 'raw')
  t.equal(year.checks, 200 * 24, 'every result of the year is counted')
  t.ok(Math.abs(year.ratio - 0.9) < 0.001, `ratio ${year.ratio}`)
  t.ok(year.latency.p50 >= 100 && year.latency.p50 <= 110, `p50 ${year.latency.p50} within the histogram's error`)
  const recent = (await app.inject({ url: '/api/v1/monitors/web/uptime?window=2h' })).json()
  t.equal(recent.tier, 'raw', 'recent windows still come from raw results')
})
