import type { Test } from 'tap'
import { createServer as createHttpServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Role } from '@vedette/sdk'
import { silentLogger } from '@vedette/sdk'
import { Engine } from '../../engine/engine.js'
import { describeCatalog } from '../../engine/load-engine-config.js'
import { testConfig } from '../../engine/test-config.js'
import { PluginLoader } from '../../plugins/plugin-loader.js'
import { ConfigService } from '../../config-service/config-service.js'
import { alertingPart } from '../../config/normalize-config.js'
import { createServer } from '../../server/create-server.js'
import { createLogger } from '../../logger.js'
import type { VedetteConfigInput } from '../../config/types.js'

export interface AlertApi {
  app: FastifyInstance
  engine: Engine
  /** An API key of the default tenant (only with `auth: true`). */
  key(role: Role): Promise<string>
}

/**
 * Engine + config service + server from one config document (channels and
 * alerts included), as `vedette start` wires them; auth off unless asked.
 */
export async function alertApi(t: Test, document: VedetteConfigInput, opts: { auth?: boolean } = {}): Promise<AlertApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedette-alert-api-'))
  const auth = opts.auth === true
  const config = testConfig({
    dataDir,
    // Engine.start applies the engine config's alerting; it must be the document's.
    alerting: alertingPart(document),
    ...(auth ? { auth: { enabled: true, plugins: [{ plugin: '@vedette/auth-apikey', config: { bootstrapAdmin: false } }], publicMetrics: true } } : {})
  })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage: 'memory', ...(auth ? { auth: ['@vedette/auth-apikey'] } : {}) })
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
  return {
    app,
    engine,
    key: async (role) => {
      const manager = engine.authenticators[0]?.keys
      if (manager === undefined) throw new Error('auth-apikey did not expose a key manager')
      return (await manager.create({ tenantId: 'default', name: `${role}-key`, role })).key
    }
  }
}

export interface Hit {
  method: string
  url: string
  headers: IncomingHttpHeaders
  text: string
  json: Record<string, unknown> | undefined
}

/** A local HTTP endpoint that records every request and answers `status.code` (200 by default). */
export async function receiver(t: Test): Promise<{ base: string; hits: Hit[]; status: { code: number } }> {
  const hits: Hit[] = []
  const status = { code: 200 }
  const srv = createHttpServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      let json: Record<string, unknown> | undefined
      try {
        json = JSON.parse(text) as Record<string, unknown>
      } catch {
        json = undefined
      }
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, json })
      res.statusCode = status.code
      res.setHeader('content-type', 'application/json')
      res.end(status.code < 300 ? '{"ok":true}' : '{"error":"refused by the test receiver"}')
    })
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return { base: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, hits, status }
}

/** A target the test switches between up (200) and down (500). */
export async function switchable(t: Test): Promise<{ url: string; set(up: boolean): void }> {
  let up = true
  const srv = createHttpServer((_req, res) => {
    res.statusCode = up ? 200 : 500
    res.end(up ? 'ok' : 'broken')
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, set: (v) => (up = v) }
}

/** Polls until `ok` holds (alerts fire and notifications go out asynchronously after a run). */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, limitMs = 8000): Promise<T> {
  const until = Date.now() + limitMs
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(v)?.slice(0, 500)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Runs a monitor now through the API, `times` times in a row. */
export async function runTimes(app: FastifyInstance, monitorId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/monitors/${monitorId}/run` })
    if (res.statusCode !== 200) throw new Error(`run ${monitorId}: ${res.statusCode} ${res.body}`)
  }
}
