import t from 'tap'
import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { silentLogger } from '@vedette/sdk'
import { Engine } from './engine.js'
import { testConfig, testMonitor } from './test-config.js'
import { FIXTURE_PLUGINS } from '../test-support.js'

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-engine-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A local target that counts requests per path and can be switched off. */
async function target(t: Test, delayMs = 0): Promise<{ url: (path: string) => string; hits: Map<string, number>; peak: Map<string, number>; stop: () => Promise<void> }> {
  const hits = new Map<string, number>()
  const inflight = new Map<string, number>()
  const peak = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    inflight.set(path, (inflight.get(path) ?? 0) + 1)
    peak.set(path, Math.max(peak.get(path) ?? 0, inflight.get(path) ?? 0))
    setTimeout(() => {
      inflight.set(path, (inflight.get(path) ?? 1) - 1)
      res.end('ok')
    }, delayMs)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
  t.teardown(stop)
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits, peak, stop }
}

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(20)
  }
}

t.test('checks reach a real target, go down after the threshold and recover', async (t) => {
  const srv = await target(t)
  const monitor = testMonitor('api', 'http', { url: srv.url('/health') }, { failureThreshold: 2 })
  const engine = await Engine.create({ config: testConfig({ dataDir: tempDir(t), monitors: [monitor] }), baseDir: process.cwd(), logger: silentLogger })
  t.teardown(() => engine.stop())
  const moves: string[] = []
  engine.onTransition((e) => moves.push(`${e.from}->${e.to}`))
  await engine.start()
  await until(() => engine.state.get('default', 'api')?.status === 'up')
  t.ok((srv.hits.get('/health') ?? 0) >= 1, 'the target received the request')

  await srv.stop()
  await until(() => engine.state.get('default', 'api')?.status === 'down')
  const incidents = await engine.storage.listIncidents('default', { monitorId: 'api', open: true })
  t.equal(incidents.items.length, 1, 'an incident is open')

  // Bring a target back on a new port and point the monitor at it: only config changed, slot kept.
  const back = await target(t)
  t.equal(await engine.upsertMonitor({ ...monitor, config: { url: back.url('/health') } }), 'updated')
  await until(() => engine.state.get('default', 'api')?.status === 'up')
  t.same(moves, ['pending->up', 'up->down', 'down->up'])
  const closed = await engine.storage.listIncidents('default', { monitorId: 'api', open: false })
  t.equal(closed.items.length, 1, 'the incident was closed on recovery')
  await engine.flush()
  const results = await engine.storage.queryResults('default', 'api', { limit: 1000 })
  t.ok(results.items.some((r) => r.status === 'down') && results.items.some((r) => r.status === 'up'), 'every run is stored')
})

t.test('a monitor never overlaps its own previous run', async (t) => {
  const srv = await target(t, 350)
  const monitor = testMonitor('slow', 'http', { url: srv.url('/slow') }, { schedule: { kind: 'interval', everyMs: 100 }, timeoutMs: 2000 })
  const engine = await Engine.create({ config: testConfig({ dataDir: tempDir(t), monitors: [monitor] }), baseDir: process.cwd(), logger: silentLogger })
  t.teardown(() => engine.stop())
  await engine.start()
  // Wait for runs, not for time: a loaded CI machine may start the worker slowly.
  await until(() => (srv.hits.get('/slow') ?? 0) >= 4, 15_000)
  await engine.stop()
  t.equal(srv.peak.get('/slow'), 1, 'the target never saw two concurrent requests from the monitor')
  const overlaps = (await engine.metrics.overlaps.get()).values[0]?.value ?? 0
  t.ok(overlaps >= 3, `${overlaps} slots skipped while a run was in flight`)
})

t.test('bad plugins affect only their own monitors; hooks enrich and veto', async (t) => {
  const srv = await target(t)
  const monitors = [
    testMonitor('good', 'http', { url: srv.url('/good') }),
    testMonitor('throws', 'throws', {}),
    testMonitor('hangs', 'hangs', {}, { timeoutMs: 200 }),
    testMonitor('exits', 'exits', {}),
    testMonitor('hooked', 'hooked', {}),
    testMonitor('vetoed', 'hooked', {}, { tags: ['veto'] })
  ]
  const config = testConfig({
    dataDir: tempDir(t),
    monitors,
    plugins: ['./check-throws', './check-hangs', './check-exit', './check-hooks']
  })
  const { PluginLoader } = await import('../plugins/plugin-loader.js')
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: FIXTURE_PLUGINS }).catalog({ storage: 'memory', plugins: config.plugins })
  const engine = await Engine.create({ config, baseDir: FIXTURE_PLUGINS, logger: silentLogger, catalog })
  t.teardown(() => engine.stop())
  await engine.start()
  await sleep(1500)
  await engine.flush()
  const latest = await engine.storage.latestResults('default')
  t.equal(latest.get('good')?.status, 'up')
  t.match(latest.get('throws'), { status: 'unknown', reason: 'error' })
  t.match(latest.get('hangs'), { status: 'down', reason: 'timeout' })
  t.match(latest.get('exits'), { status: 'unknown', message: /process\.exit/ })
  t.equal((latest.get('hooked')?.observations as Record<string, unknown> | undefined)?.enrichedBy, 'hooks-fixture', 'onCheckResult enriched the stored result')
  t.notOk(latest.has('vetoed'), 'onSchedule vetoed every run of the tagged monitor')
  const good = await engine.storage.queryResults('default', 'good', { limit: 100 })
  t.ok(good.items.length >= 5, `the good monitor kept running (${good.items.length} runs)`)
  t.ok(good.items.every((r) => r.status === 'up'), 'and every one of its runs was up')
})

t.test('results and states survive a restart (SQLite)', async (t) => {
  const srv = await target(t)
  const dataDir = tempDir(t)
  const monitor = testMonitor('persist', 'http', { url: srv.url('/p') })
  const config = testConfig({ dataDir, monitors: [monitor], storage: { plugin: '@vedette/storage-sqlite', config: {} } })
  const first = await Engine.create({ config, baseDir: dataDir, logger: silentLogger })
  await first.start()
  await until(() => first.state.get('default', 'persist')?.status === 'up')
  await sleep(300)
  await first.stop()
  const stored = first.resultCounts.written
  t.ok(stored >= 2, `${stored} results written before stop`)
  t.equal(first.resultCounts.pending, 0, 'nothing left in the buffer')

  const second = await Engine.create({ config: { ...config, monitors: [] }, baseDir: dataDir, logger: silentLogger })
  t.teardown(() => second.stop())
  await second.start()
  const page = await second.storage.queryResults('default', 'persist', { limit: 1000 })
  t.equal(page.items.length, stored, 'every acknowledged result is there after the restart')
  const states = await second.storage.monitorStates('default')
  t.equal(states.find((s) => s.monitorId === 'persist')?.status, 'up')
  t.equal(second.state.get('default', 'persist')?.status, 'up', 'the state engine resumed from storage')
})

t.test('pause and resume are transitions and stop runs', async (t) => {
  const srv = await target(t)
  const engine = await Engine.create({ config: testConfig({ dataDir: tempDir(t), monitors: [testMonitor('p', 'http', { url: srv.url('/p') })] }), baseDir: process.cwd(), logger: silentLogger })
  t.teardown(() => engine.stop())
  await engine.start()
  await until(() => engine.state.get('default', 'p')?.status === 'up')
  await engine.pauseMonitor('p')
  await sleep(150)
  const before = srv.hits.get('/p') ?? 0
  await sleep(400)
  t.equal(srv.hits.get('/p') ?? 0, before, 'no runs while paused')
  t.equal(engine.state.get('default', 'p')?.status, 'paused')
  await engine.resumeMonitor('p')
  await until(() => engine.state.get('default', 'p')?.status === 'up')
  await t.rejects(engine.pauseMonitor('nope'), { code: 'VDT_ERR_MONITOR_NOT_FOUND' })
})
