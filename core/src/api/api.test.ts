import t from 'tap'
import type { Test } from 'tap'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@vedette/sdk'
import type { FastifyInstance } from 'fastify'
import { Engine } from '../engine/engine.js'
import { describeCatalog } from '../engine/load-engine-config.js'
import { testConfig } from '../engine/test-config.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import { ConfigService } from '../config-service/config-service.js'
import { createServer } from '../server/create-server.js'
import { createLogger } from '../logger.js'
import type { VedetteConfig, VedetteConfigInput } from '../config/types.js'

async function target(t: Test): Promise<string> {
  const srv = createHttpServer((_req, res) => res.end('ok'))
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
}

async function api(
  t: Test,
  document: VedetteConfigInput = { monitors: [] },
  server?: VedetteConfig['server']
): Promise<{ app: FastifyInstance; engine: Engine }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-api-'))
  const config = testConfig({ dataDir, ...(server ? { server } : {}) })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage: 'memory' })
  const engine = await Engine.create({ config, baseDir: dataDir, logger: silentLogger, catalog })
  await engine.openStorage()
  const service = new ConfigService({ engine, plugins: describeCatalog(catalog), baseDir: dataDir, logger: silentLogger })
  const monitors = await service.init(document, JSON.stringify(document), 'test.yaml')
  await engine.start(monitors)
  const app = await createServer(engine, { logger: createLogger({ level: 'silent', pretty: false }), config: service })
  t.teardown(async () => {
    await app.close()
    await engine.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { app, engine }
}

t.test('create → status → results → run → delete', async (t) => {
  const base = await target(t)
  const { app } = await api(t)
  const body = { id: 'web', type: 'http', interval: '30s', config: { url: `${base}/` }, tags: ['prod'] }
  const created = await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers.location, '/api/v1/monitors/web')
  t.match(created.json(), { monitor: body, version: { version: 2, summary: 'added web' } })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })).json().code, 'VDT_ERR_CONFLICT', 'duplicate id → 409')

  const run = await app.inject({ method: 'POST', url: '/api/v1/monitors/web/run' })
  t.equal(run.statusCode, 200)
  t.match(run.json(), { monitorId: 'web', status: 'up' })
  const status = (await app.inject({ url: '/api/v1/monitors/web/status' })).json()
  t.match(status, { id: 'web', status: 'up', lastResult: { status: 'up', observations: { statusCode: 200 } } })
  const results = (await app.inject({ url: '/api/v1/monitors/web/results?limit=10' })).json()
  t.equal(results.items.length, 1)
  const uptime = (await app.inject({ url: '/api/v1/monitors/web/uptime?window=1h' })).json()
  t.match(uptime, { checks: 1, ratio: 1 })
  t.equal((await app.inject({ url: '/api/v1/monitors/web/uptime?window=soon' })).json().code, 'VDT_ERR_INVALID_WINDOW')

  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/monitors/web' })).statusCode, 204)
  const gone = await app.inject({ url: '/api/v1/monitors/web' })
  t.equal(gone.statusCode, 404)
  t.equal(gone.json().code, 'VDT_ERR_MONITOR_NOT_FOUND')
})

t.test('bad input is a 400 with a code and changes nothing', async (t) => {
  const { app } = await api(t)
  const cases: Array<[string, unknown]> = [
    ['unknown field', { id: 'a', type: 'http', interval: '30s', config: { url: 'http://127.0.0.1:1/' }, colour: 'red' }],
    ['wrong type', { id: 'a', type: 'http', interval: 30, config: { url: 42 } }],
    ['unknown check type', { id: 'a', type: 'ftp', interval: '30s', config: {} }],
    ['bad id', { id: '../etc', type: 'http', interval: '30s', config: { url: 'http://127.0.0.1:1/' } }],
    ['interval and cron', { id: 'a', type: 'http', interval: '30s', cron: '* * * * *', config: { url: 'http://127.0.0.1:1/' } }],
    ['interval under 1s', { id: 'a', type: 'http', interval: '10ms', config: { url: 'http://127.0.0.1:1/' } }]
  ]
  for (const [name, payload] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: payload as object })
    t.equal(res.statusCode, 400, name)
    t.match(res.json(), { code: /^VDT_ERR_/, message: String }, name)
  }
  const malformed = await app.inject({ method: 'POST', url: '/api/v1/monitors', headers: { 'content-type': 'application/json' }, payload: '{"id":' })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.json().code, 'VDT_ERR_BAD_REQUEST')
  const huge = await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: { id: 'big', type: 'http', interval: '30s', config: { url: `http://x/${'a'.repeat(2_000_000)}` } } })
  t.equal(huge.statusCode, 413)
  t.equal(huge.json().code, 'VDT_ERR_BODY_TOO_LARGE')
  t.same((await app.inject({ url: '/api/v1/monitors' })).json().items, [], 'nothing was stored')
  t.equal((await app.inject({ url: '/api/v1/config/history' })).json().items.length, 1, 'no new config version')
})

t.test('pagination over 1,100 monitors has no gaps or duplicates; filters apply', async (t) => {
  const monitors = Array.from({ length: 1100 }, (_, i) => ({
    id: `m${String(i).padStart(4, '0')}`,
    type: 'http',
    interval: '1h',
    tags: i % 2 === 0 ? ['even'] : ['odd'],
    config: { url: 'http://127.0.0.1:1/' }
  }))
  const { app } = await api(t, { monitors })
  const seen: string[] = []
  let cursor: string | undefined
  do {
    const page = (await app.inject({ url: `/api/v1/monitors?limit=250${cursor ? `&cursor=${cursor}` : ''}` })).json()
    seen.push(...page.items.map((m: { id: string }) => m.id))
    cursor = page.nextCursor
  } while (cursor)
  t.equal(seen.length, 1100)
  t.same(seen, monitors.map((m) => m.id), 'every monitor once, in id order')
  const even = (await app.inject({ url: '/api/v1/monitors?tag=even&limit=1000' })).json()
  t.equal(even.items.length, 550)
  t.equal((await app.inject({ url: '/api/v1/monitors?q=m000&limit=1000' })).json().items.length, 10)
  t.equal((await app.inject({ url: '/api/v1/monitors?cursor=garbage' })).statusCode, 400)
  t.equal((await app.inject({ url: '/api/v1/monitors?limit=5000' })).statusCode, 400)
})

t.test('config: apply, validate with pointers, history, diff, rollback; invalid PUT changes nothing', async (t) => {
  const { app, engine } = await api(t, { monitors: [{ id: 'a', type: 'tcp', interval: '1h', config: { host: '127.0.0.1', port: 1 } }] })
  const doc = { monitors: [{ id: 'b', type: 'tcp', interval: '1h', config: { host: '127.0.0.1', port: 2 } }] }
  const applied = await app.inject({ method: 'PUT', url: '/api/v1/config', payload: doc })
  t.equal(applied.statusCode, 200, applied.body)
  t.match(applied.json(), { version: { version: 2 }, applied: { added: 1, removed: 1 } })
  t.same(engine.listMonitors().map((m) => m.id), ['b'], 'the engine runs the new set')

  const bad = { monitors: [{ id: 'c', type: 'tcp', interval: 'soon', config: { host: '127.0.0.1' } }] }
  const rejected = await app.inject({ method: 'PUT', url: '/api/v1/config', payload: bad })
  t.equal(rejected.statusCode, 400)
  t.equal(rejected.json().code, 'VDT_ERR_CONFIG_INVALID')
  t.same(engine.listMonitors().map((m) => m.id), ['b'], 'an invalid PUT changes nothing')
  const validated = (await app.inject({ method: 'POST', url: '/api/v1/config/validate', payload: bad })).json()
  t.equal(validated.valid, false)
  t.same(validated.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/monitors/0/config/port', '/monitors/0/interval'])

  const yaml = await app.inject({ url: '/api/v1/config', headers: { accept: 'application/yaml' } })
  t.match(yaml.headers['content-type'], /yaml/)
  t.match(yaml.body, /id: b/)
  const history = (await app.inject({ url: '/api/v1/config/history' })).json()
  t.same(history.items.map((v: { version: number }) => v.version), [2, 1])
  const diff = (await app.inject({ url: '/api/v1/config/diff?from=1&to=2' })).json()
  t.same(diff.changes.map((c: { op: string; path: string }) => `${c.op} ${c.path}`).sort(), ['add /monitors/b', 'remove /monitors/a'])
  t.equal((await app.inject({ url: '/api/v1/config/history/9' })).statusCode, 404)
  const rolled = await app.inject({ method: 'POST', url: '/api/v1/config/rollback/1' })
  t.match(rolled.json(), { version: { version: 3, summary: 'rollback to version 1' } })
  t.same(engine.listMonitors().map((m) => m.id), ['a'])
  t.match((await app.inject({ url: '/api/v1/config/history/1' })).json(), { info: { version: 1 }, document: { monitors: [{ id: 'a' }] } })
})

t.test('the OpenAPI spec lists the routes and one config schema per check type', async (t) => {
  const { app } = await api(t)
  const spec = (await app.inject({ url: '/openapi.json' })).json()
  t.equal(spec.openapi, '3.1.0')
  t.ok(spec.paths['/api/v1/monitors'].post)
  t.ok(spec.paths['/api/v1/monitors/{id}/status'].get)
  t.ok(spec.paths['/api/v1/config/rollback/{version}'].post)
  const branches = spec.components.schemas.MonitorInput.oneOf.map((b: { properties: { type: { const?: string; enum?: string[] } } }) => b.properties.type.const ?? b.properties.type.enum?.[0])
  t.same(branches.sort(), ['dns', 'heartbeat', 'http', 'icmp', 'nagios', 'tcp', 'tls'])
  t.equal((await app.inject({ url: '/docs' })).statusCode < 400, true, 'Swagger UI is served')
})

t.test('over the rate limit: 429 with a code and retry-after; health stays open', async (t) => {
  const { app } = await api(t, { monitors: [] }, { port: 0, host: '127.0.0.1', rateLimit: { max: 3, windowMs: 60_000 } })
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: '/api/v1/monitors' })).statusCode, 200)
  const limited = await app.inject({ url: '/api/v1/monitors' })
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'VDT_ERR_RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 0, 'retry-after says when')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, '/health is not limited')
})

t.test('replace, patch, plugin config, pause/resume, results paging, plugins list', async (t) => {
  const base = await target(t)
  const { app, engine } = await api(t)
  const body = { id: 'web', type: 'http', interval: '30s', config: { url: `${base}/a` } }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })).statusCode, 201)

  const replaced = await app.inject({ method: 'PUT', url: '/api/v1/monitors/web', payload: { ...body, name: 'Web', interval: '1m' } })
  t.equal(replaced.statusCode, 200, replaced.body)
  t.equal(engine.getMonitor('web')?.name, 'Web')
  t.same(engine.getMonitor('web')?.schedule, { kind: 'interval', everyMs: 60_000 }, 'the engine runs the new schedule')
  t.equal((await app.inject({ method: 'PUT', url: '/api/v1/monitors/web', payload: { ...body, id: 'other' } })).statusCode, 400, 'the id cannot change')
  t.equal((await app.inject({ method: 'PUT', url: '/api/v1/monitors/nope', payload: { ...body, id: 'nope' } })).statusCode, 404)

  const patched = await app.inject({ method: 'PATCH', url: '/api/v1/monitors/web', payload: { tags: ['edge'], name: null } })
  t.equal(patched.statusCode, 200, patched.body)
  t.same(patched.json().monitor.tags, ['edge'])
  t.notOk('name' in patched.json().monitor, 'null removes a field (merge patch)')
  t.equal((await app.inject({ method: 'PATCH', url: '/api/v1/monitors/web', payload: { interval: 'often' } })).statusCode, 400, 'the merged monitor is validated')

  const cfg = await app.inject({ method: 'PUT', url: '/api/v1/monitors/web/config', payload: { url: `${base}/b` } })
  t.equal(cfg.statusCode, 200, cfg.body)
  t.same(engine.getMonitor('web')?.config, { url: `${base}/b` })
  t.equal((await app.inject({ method: 'PUT', url: '/api/v1/monitors/web/config', payload: { url: 7 } })).statusCode, 400, 'validated against the plugin schema')

  const paused = await app.inject({ method: 'POST', url: '/api/v1/monitors/web/pause' })
  t.match(paused.json(), { id: 'web', status: 'paused' })
  t.equal(engine.nextRun('web'), undefined, 'no next run while paused')
  t.match((await app.inject({ method: 'POST', url: '/api/v1/monitors/web/resume' })).json(), { status: 'pending' })
  t.type(engine.nextRun('web'), 'number')

  for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/api/v1/monitors/web/run' })
  const seen: number[] = []
  let cursor: string | undefined
  do {
    const page = (await app.inject({ url: `/api/v1/monitors/web/results?limit=2${cursor ? `&cursor=${cursor}` : ''}` })).json()
    seen.push(...page.items.map((r: { startedAt: number }) => r.startedAt))
    cursor = page.nextCursor
  } while (cursor)
  t.equal(seen.length, 5)
  t.same(seen, [...seen].sort((a, b) => b - a), 'newest first, no duplicates')
  t.equal(new Set(seen).size, 5)
  t.equal((await app.inject({ url: '/api/v1/monitors/nope/results' })).statusCode, 404)
  t.equal((await app.inject({ url: '/api/v1/monitors/web/results?from=abc' })).statusCode, 400)

  const plugins = (await app.inject({ url: '/api/v1/plugins' })).json().items as Array<{ name: string; kind: string; configSchema?: object }>
  t.ok(plugins.find((p) => p.name === '@vedette/check-http' && p.kind === 'check' && p.configSchema), 'http with its schema')
  t.ok(plugins.find((p) => p.kind === 'storage'))
  const history = (await app.inject({ url: '/api/v1/config/history' })).json()
  t.same(
    history.items.map((v: { summary: string }) => v.summary),
    ['changed web config', 'changed web', 'changed web', 'added web', 'initial config from the file'],
    'each change is a version'
  )
})

t.test('JSON bodies are not coerced: integers in oneOf [integer, string] fields are accepted as written', async (t) => {
  const { app } = await api(t)
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/monitors',
    payload: { id: 'ints', type: 'http', interval: 60_000, timeout: 5000, config: { url: 'http://127.0.0.1:1/', expectedStatus: [200, '300-399'] } }
  })
  t.equal(res.statusCode, 201, res.body)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: { id: 'str', type: 'http', interval: '30s', failureThreshold: '3', config: { url: 'http://127.0.0.1:1/' } } })).statusCode, 400, 'a string is not an integer in a body')
  t.equal((await app.inject({ url: '/api/v1/monitors?limit=5' })).statusCode, 200, 'query strings are still coerced')
})

t.test('assertions from the API are judged on every run and shown in the status', async (t) => {
  const base = await target(t)
  const { app } = await api(t)
  const body = { id: 'asserted', type: 'http', interval: '30s', assertions: ['status == 200', 'body contains nope warning'], config: { url: `${base}/` } }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })).statusCode, 201)
  const run = (await app.inject({ method: 'POST', url: '/api/v1/monitors/asserted/run' })).json()
  t.equal(run.status, 'degraded')
  t.same(run.observations.assertions.map((a: { pass: boolean }) => a.pass), [true, false])
  const bad = await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: { ...body, id: 'bad', assertions: ['status ~ 200'] } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().details, [{ pointer: '/assertions/0' }])
})

t.test('a deleted and re-created monitor does not show the old one’s last result', async (t) => {
  const base = await target(t)
  const { app } = await api(t)
  const body = { id: 'again', type: 'http', interval: '1h', config: { url: `${base}/` } }
  await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })
  await app.inject({ method: 'POST', url: '/api/v1/monitors/again/run' })
  t.ok((await app.inject({ url: '/api/v1/monitors/again/status' })).json().lastResult, 'first incarnation ran')
  await app.inject({ method: 'DELETE', url: '/api/v1/monitors/again' })
  await app.inject({ method: 'POST', url: '/api/v1/monitors', payload: body })
  const status = (await app.inject({ url: '/api/v1/monitors/again/status' })).json()
  t.notOk(status.lastResult, 'no result yet for the new one')
})
