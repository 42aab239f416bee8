import type { Test } from 'tap'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@vedette/sdk'
import { Engine } from '../engine/engine.js'
import { testConfig } from '../engine/test-config.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import type { Monitor } from '../config/types.js'
import type { AlertingInput } from './alerting-types.js'

/** A local HTTP target whose answer the test switches between up (200) and down (500). */
export async function switchableTarget(t: Test): Promise<{ url: string; set(up: boolean): void; hits: () => number }> {
  let up = true
  let hits = 0
  const srv = createServer((_req, res) => {
    hits++
    res.statusCode = up ? 200 : 500
    res.end(up ? 'ok' : 'broken')
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`, set: (v) => (up = v), hits: () => hits }
}

export interface Received {
  at: number
  headers: IncomingHttpHeaders
  body: Record<string, unknown> & { event: string; alerts: Array<Record<string, unknown>>; idempotencyKey: string; title: string; text: string }
}

/** A webhook receiver that records every POST; `status` decides what it answers (e.g. 500 while "down"). */
export async function webhookReceiver(t: Test): Promise<{ url: string; received: Received[]; status: { code: number } }> {
  const received: Received[] = []
  const status = { code: 200 }
  const srv = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      if (status.code < 300) received.push({ at: Date.now(), headers: req.headers, body: JSON.parse(body) as Received['body'] })
      res.statusCode = status.code
      res.end()
    })
  })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise((r) => srv.close(r)))
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`, received, status }
}

/** An engine on memory (or a given) storage with these monitors and this alerting config, started. */
export async function alertingEngine(t: Test, monitors: Monitor[], alerting: AlertingInput, opts: { storage?: string; dataDir?: string; stop?: boolean } = {}): Promise<Engine> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vedette-alerts-'))
  const storage = opts.storage ?? 'memory'
  const config = testConfig({ dataDir, monitors, alerting, storage: { plugin: storage === 'memory' ? '@vedette/storage-memory' : '@vedette/storage-sqlite', config: {} } })
  const catalog = new PluginLoader({ engineVersion: '0.1.0', baseDir: dataDir }).catalog({ storage })
  const engine = await Engine.create({ config, baseDir: dataDir, logger: silentLogger, catalog })
  await engine.start()
  if (opts.stop !== false) {
    t.teardown(async () => {
      await engine.stop()
      if (opts.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    })
  }
  return engine
}

export async function waitFor<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string, limitMs = 8000): Promise<T> {
  const until = Date.now() + limitMs
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(v)?.slice(0, 500)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
