import t from 'tap'
import type { Test } from 'tap'
import { Writable } from 'node:stream'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import type { FastifyInstance } from 'fastify'
import { Engine } from '../engine/engine.js'
import { describeCatalog } from '../engine/load-engine-config.js'
import { testConfig } from '../engine/test-config.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import { ConfigService } from '../config-service/config-service.js'
import { createServer } from '../server/create-server.js'
import type { VedetteConfigInput } from '../config/types.js'

interface Setup {
  app: FastifyInstance
  base: string
  engine: Engine
  auth: { authorization: string }
  logs: () => string
}

async function secured(t: Test, document: VedetteConfigInput): Promise<Setup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-hb-'))
  let captured = ''
  const logger = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, done) => ((captured += chunk.toString()), done()) }))
  const config = testConfig({
    dataDir,
    auth: { enabled: true, plugins: [{ plugin: '@vedette/auth-apikey', config: { bootstrapAdmin: false } }], publicMetrics: true }
  })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage: 'memory', auth: ['@vedette/auth-apikey'] })
  const engine = await Engine.create({ config, baseDir: dataDir, logger, catalog })
  await engine.openStorage()
  const service = new ConfigService({ engine, plugins: describeCatalog(catalog), baseDir: dataDir, logger })
  await engine.start(await service.init(document, JSON.stringify(document), 'test.yaml'))
  const app = await createServer(engine, { logger, config: service })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => {
    await app.close()
    await engine.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })
  const key = await engine.authenticators[0]!.keys!.create({ tenantId: 'default', name: 'editor', role: 'editor' })
  return { app, base, engine, auth: { authorization: `Bearer ${key.key}` }, logs: () => captured }
}

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, limitMs = 8000): Promise<T> {
  const until = Date.now() + limitMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}: last ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const nightly = { id: 'nightly', type: 'heartbeat', interval: '1s', failureThreshold: 1, config: { period: '1h', grace: '1s' } }

t.test('a heartbeat monitor: token URL without a key, /fail, /start overrun, exit codes, durations, rotation', async (t) => {
  const { app, base, auth, logs } = await secured(t, { monitors: [nightly] })
  const status = async () => (await app.inject({ url: '/api/v1/monitors/nightly/status', headers: auth })).json()

  t.equal((await app.inject({ method: 'POST', url: '/api/v1/monitors/nightly/heartbeat/token' })).statusCode, 401, 'making a token needs a key')
  const made = await app.inject({ method: 'POST', url: '/api/v1/monitors/nightly/heartbeat/token', headers: auth })
  t.equal(made.statusCode, 201, made.body)
  const { token, pingPath, pingUrl: shown } = made.json() as { token: string; pingPath: string; pingUrl: string }
  t.match(token, /^hb_/)
  t.equal(pingPath, `/api/v1/heartbeats/${token}`)
  t.equal(shown, `http://localhost:80${pingPath}`, 'the URL is built from the Host the caller used')
  const pingUrl = `${base}${pingPath}`

  // Over real HTTP, no API key: the token is the credential.
  const ok = await fetch(pingUrl)
  t.equal(ok.status, 200)
  t.same(await ok.json(), { ok: true })
  let s = await waitFor(status, (v) => v.status === 'up', 'up after a success ping')
  t.equal(s.lastResult.observations.lastPingKind, 'success')

  const fail = await fetch(`${pingUrl}/fail?rid=run-7`, { method: 'POST', body: 'backup failed: disk full\nsecond line', headers: { 'content-type': 'text/plain' } })
  t.equal(fail.status, 200)
  s = await waitFor(status, (v) => v.status === 'down', 'down right after /fail (no waiting for the interval)')
  t.match(s.lastResult.message, /reported failure at .*: backup failed: disk full/)
  t.equal(s.lastResult.observations.log, 'backup failed: disk full\nsecond line', 'the log body is kept')
  t.equal(s.lastResult.observations.runId, 'run-7')

  await fetch(`${pingUrl}/start?rid=run-8`)
  await fetch(`${pingUrl}/0?rid=run-8`, { method: 'POST', body: JSON.stringify({ rows: 12 }), headers: { 'content-type': 'application/json' } })
  s = await waitFor(status, (v) => v.status === 'up' && v.lastResult.observations.lastExitCode === 0, 'exit code 0 → up')
  t.type(s.lastResult.observations.lastDurationMs, 'number', 'the run duration is recorded')
  t.equal(s.lastResult.observations.log, '{"rows":12}', 'a JSON body is kept as the log')

  await fetch(`${pingUrl}/2`)
  s = await waitFor(status, (v) => v.status === 'down', 'a non-zero exit code is down')
  t.match(s.lastResult.message, /exit code 2/)

  await fetch(pingUrl)
  await waitFor(status, (v) => v.status === 'up', 'up again')
  await fetch(`${pingUrl}/start`)
  s = await waitFor(status, (v) => v.status === 'down', 'a start without an end within grace goes down', 6000)
  t.match(s.lastResult.message, /has not finished within grace 1s/)

  const info = await app.inject({ url: '/api/v1/monitors/nightly/heartbeat', headers: auth })
  t.equal(info.statusCode, 200)
  t.equal(info.json().hasToken, true)
  t.ok(info.json().pings.length >= 7, 'recent pings are listed')
  t.notMatch(info.body, token, 'the token is never shown again')

  // Rotation: the old token stops working at once.
  const rotated = (await app.inject({ method: 'POST', url: '/api/v1/monitors/nightly/heartbeat/token', headers: auth })).json() as { token: string; pingPath: string }
  t.not(rotated.token, token)
  const old = await fetch(pingUrl)
  t.equal(old.status, 404)
  t.equal(((await old.json()) as { code: string }).code, 'VDT_ERR_HEARTBEAT_TOKEN_UNKNOWN')
  t.equal((await fetch(`${base}${rotated.pingPath}`)).status, 200)
  t.equal((await fetch(`${base}/api/v1/heartbeats/not-a-token`)).status, 400, 'a malformed token is a 400')

  t.notMatch(logs(), token.slice(3), 'tokens never reach the logs')
  t.notMatch(logs(), rotated.token.slice(3))
})

t.test('a heartbeat that never arrives goes down after period + grace; other types have no token', async (t) => {
  const quick = { ...nightly, id: 'quick', config: { period: '1s', grace: '1s' } }
  const web = { id: 'web', type: 'tcp', interval: '1h', config: { host: '127.0.0.1', port: 1 } }
  const { app, auth } = await secured(t, { monitors: [quick, web] })
  const status = async () => (await app.inject({ url: '/api/v1/monitors/quick/status', headers: auth })).json()
  const first = await waitFor(status, (v) => v.lastResult !== undefined, 'a first judgement')
  t.equal(first.lastResult.status, 'unknown', 'nothing is due yet')
  const late = await waitFor(status, (v) => v.status === 'down', 'down when no ping came', 6000)
  t.match(late.lastResult.message, /missing: a success was due .* no success ping yet/)
  const tcp = await app.inject({ method: 'POST', url: '/api/v1/monitors/web/heartbeat/token', headers: auth })
  t.equal(tcp.statusCode, 409)
  t.equal(tcp.json().code, 'VDT_ERR_HEARTBEAT_NOT_PUSH')
})
