import t from 'tap'
import type { Test } from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { gunzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { silentLogger } from '@vedette/sdk'
import { closedPort } from '@vedette/sdk/testing'
import { Engine } from '../../engine/engine.js'
import { testConfig, testMonitor } from '../../engine/test-config.js'
import type { Monitor, VedetteConfig } from '../../config/types.js'
import { ConfigService } from '../../config-service/config-service.js'
import { describeCatalog } from '../../engine/load-engine-config.js'
import { PluginLoader } from '../../plugins/plugin-loader.js'
import { createServer } from '../../server/create-server.js'
import { ENGINE_VERSION } from '../../version.js'

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'vedette-metrics-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A local HTTP target that answers 200. */
async function target(t: Test): Promise<string> {
  const server = createHttpServer((_req, res) => res.end('ok'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((r) => server.close(() => r(undefined)))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(20)
  }
}

/**
 * An engine and its HTTP server wired as `vedette start` wires them: the
 * config service makes createServer mount the REST API, which mounts the
 * auth hook and /metrics. The monitors bypass the config document so that
 * they can run every 100 ms.
 */
async function serve(t: Test, monitors: Monitor[], overrides: Partial<VedetteConfig> = {}): Promise<{ app: FastifyInstance; engine: Engine }> {
  const dataDir = tempDir(t)
  const config = testConfig({ dataDir, ...overrides })
  const catalog = new PluginLoader({ engineVersion: ENGINE_VERSION, baseDir: dataDir }).catalog({ storage: 'memory' })
  const engine = await Engine.create({ config, baseDir: dataDir, logger: silentLogger, catalog })
  t.teardown(() => engine.stop())
  await engine.openStorage()
  const service = new ConfigService({ engine, plugins: describeCatalog(catalog), baseDir: dataDir, logger: silentLogger })
  await service.init({}, '', 'test.yaml')
  await engine.start(monitors)
  const app = await createServer(engine, { logger: pino({ level: 'silent' }), config: service })
  t.teardown(() => app.close())
  return { app, engine }
}

/** The value of the one sample with exactly this name and these labels (in this order), if any. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

const API = 'monitor="api",tenant="default",type="http",tags="prod,web"'
const DEAD = 'monitor="dead",tenant="default",type="http",tags=""'

t.test('GET /metrics: engine series, probe series per monitor, gone after removal', async (t) => {
  const up = testMonitor('api', 'http', { url: await target(t) }, { tags: ['web', 'prod'] })
  const down = testMonitor('dead', 'http', { url: `http://127.0.0.1:${await closedPort()}/` })
  const { app, engine } = await serve(t, [up, down])
  await until(() => engine.state.get('default', 'api')?.status === 'up' && engine.state.get('default', 'dead')?.status === 'down')

  const res = await app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = res.body

  t.equal(sample(text, `vedette_probe_success{${API}}`), 1, 'the monitor that answers succeeds')
  t.ok((sample(text, `vedette_probe_duration_seconds{${API}}`) ?? 0) > 0, 'with a duration')
  for (const phase of ['connect', 'ttfb', 'transfer']) {
    t.type(sample(text, `vedette_probe_phase_duration_seconds{${API},phase="${phase}"}`), 'number', `phase ${phase} present`)
  }
  t.equal(sample(text, `vedette_monitor_status{${API}}`), 1, 'status up is 1')
  t.equal(sample(text, `vedette_probe_success{${DEAD}}`), 0, 'the refused monitor fails')
  t.equal(sample(text, `vedette_monitor_status{${DEAD}}`), 0, 'status down is 0')

  t.ok((sample(text, 'vedette_checks_total{type="http",status="up"}') ?? 0) >= 1, 'engine counters are served')
  t.equal(sample(text, 'vedette_monitors'), 2)
  t.type(sample(text, 'vedette_dispatch_queue_depth{pool="thread"}'), 'number', 'dispatch queue depth')
  t.type(sample(text, 'vedette_dispatch_queue_depth{pool="process"}'), 'number')
  t.type(sample(text, 'vedette_checks_running'), 'number', 'running checks')
  t.equal(sample(text, 'vedette_pool_threads'), 1, 'threads as configured (workers: 1)')
  const utilization = sample(text, 'vedette_pool_utilization_ratio')
  t.ok(utilization !== undefined && utilization >= 0 && utilization <= 1, `pool utilisation ${utilization} in 0..1`)
  t.type(sample(text, 'nodejs_eventloop_lag_seconds'), 'number', 'event-loop lag')
  t.type(sample(text, 'process_cpu_seconds_total'), 'number', 'process defaults')
  t.notMatch(text, /_active_(handles|requests|resources)_total/, 'the _total gauges promtool rejects are dropped')
  t.match(text, /^nodejs_active_handles\{/m, 'their labelled counterparts stay')

  await engine.removeMonitor('api')
  const after = (await app.inject({ url: '/metrics' })).body
  t.notMatch(after, /monitor="api"/, 'no series of the removed monitor')
  t.equal(sample(after, `vedette_probe_success{${DEAD}}`), 0, 'the other monitor keeps its series')
  // A run of the removed monitor may still have been in flight: it must not bring the series back.
  await sleep(250)
  t.notMatch((await app.inject({ url: '/metrics' })).body, /monitor="api"/, 'still gone a few intervals later')
})

t.test('gzip when the scraper accepts it, the same text', async (t) => {
  const { app, engine } = await serve(t, [testMonitor('api', 'http', { url: await target(t) })])
  await until(() => engine.state.get('default', 'api')?.status === 'up')
  await engine.stop() // nothing changes between the two scrapes
  const zipped = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip, deflate' } })
  t.equal(zipped.headers['content-encoding'], 'gzip')
  const text = gunzipSync(zipped.rawPayload).toString()
  t.match(text, /^vedette_probe_success\{monitor="api"/m)
  const plain = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip;q=0, identity' } })
  t.equal(plain.headers['content-encoding'], undefined, 'q=0 refuses gzip')
  const strip = (s: string): string => s.split('\n').filter((l) => !/^(process_|nodejs_)/.test(l)).join('\n')
  t.equal(strip(plain.body), strip(text), 'same series (process gauges move between scrapes)')
})

t.test('/metrics needs credentials unless auth.publicMetrics', async (t) => {
  const closed = await serve(t, [], { auth: { enabled: true, plugins: [], publicMetrics: false } })
  const res = await closed.app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 401, 'no credentials, no metrics')
  t.equal(res.json().code, 'VDT_ERR_AUTH_REQUIRED')
  const open = await serve(t, [], { auth: { enabled: true, plugins: [], publicMetrics: true } })
  t.equal((await open.app.inject({ url: '/metrics' })).statusCode, 200, 'public when configured')
  t.equal((await open.app.inject({ url: '/api/v1/monitors' })).statusCode, 401, 'while the API stays closed')
})

/** `promtool check metrics` exits 0 and prints nothing when the exposition is clean. */
function promtool(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
    child.stdin.end(text)
  })
}

const hasPromtool = spawnSync('promtool', ['--version']).error === undefined
const promtoolMissing = 'promtool is missing (install it with: apt-get install prometheus)'

t.test('promtool check metrics accepts the real output', { skip: hasPromtool || process.env.CI === 'true' ? false : promtoolMissing }, async (t) => {
  if (!hasPromtool) {
    t.fail(`${promtoolMissing}; under CI=true this check must run`)
    return
  }
  // First prove the check is not a no-op: promtool rejects a gauge named like a counter.
  const bad = await promtool('# HELP bad_total a gauge named like a counter\n# TYPE bad_total gauge\nbad_total 1\n')
  t.not(bad.code, 0, 'promtool rejects a bad exposition')
  t.match(bad.output, /bad_total/)

  const monitors = [
    testMonitor('api', 'http', { url: await target(t) }, { tags: ['prod', 'web'] }),
    testMonitor('dead', 'http', { url: `http://127.0.0.1:${await closedPort()}/` }),
    testMonitor('idle', 'http', { url: 'http://127.0.0.1:1/' }, { enabled: false })
  ]
  const { app, engine } = await serve(t, monitors)
  await until(() => engine.state.get('default', 'dead')?.status === 'down' && engine.state.get('default', 'api')?.status === 'up')
  const text = (await app.inject({ url: '/metrics' })).body
  t.match(text, /vedette_probe_phase_duration_seconds\{/, 'the probe families are part of what is checked')
  const { code, output } = await promtool(text)
  t.equal(output.trim(), '', 'no lint findings')
  t.equal(code, 0, 'promtool exit status')
})
