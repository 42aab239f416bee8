import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../test-support.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { silentLogger } from '@vedette/sdk'
import sqlite from '@vedette/storage-sqlite'

const CLI = fileURLToPath(new URL('./main.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'vedette-cli-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

function vedette(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

t.test('validate: exit 0 for a good file, 1 with file:line:col and the pointer for a bad one', async (t) => {
  const good = join(dir, 'good.yaml')
  writeFileSync(good, "monitors:\n  - id: a\n    type: http\n    interval: 30s\n    config: { url: 'http://127.0.0.1:1/' }\n")
  const ok = vedette('validate', good)
  t.equal(ok.status, 0, ok.stderr)
  t.match(ok.stdout, /valid \(1 monitor/)

  const bad = join(dir, 'bad.yaml')
  writeFileSync(bad, 'monitors:\n  - id: a\n    type: http\n    interval: 30s\n    config:\n      url: 42\n')
  const r = vedette('validate', bad)
  t.equal(r.status, 1)
  t.match(r.stderr, /bad\.yaml:6:\d+ \/monitors\/0\/config\/url: .*string/)

  const syntax = join(dir, 'syntax.yaml')
  writeFileSync(syntax, 'monitors: [\n  - id: a\n')
  const s = vedette('validate', syntax)
  t.not(s.status, 0)
  t.match(s.stderr, /syntax\.yaml:\d+:\d+/)

  t.equal(vedette('validate', join(dir, 'missing.yaml')).status, 1)
  t.equal(vedette('validate').status, 2, 'no file named: usage error')
})

t.test('plugins lists name, kind, version and engine range', async (t) => {
  const r = vedette('plugins')
  t.equal(r.status, 0, r.stderr)
  t.match(r.stdout, /@vedette\/check-http\s+check\s+0\.2\.0\s+\^0\.1\.0\s+type: http/)
  t.match(r.stdout, /@vedette\/storage-sqlite\s+storage/)
})

t.test('unknown commands and flags are usage errors', async (t) => {
  t.equal(vedette('frobnicate').status, 2)
  t.equal(vedette('start', '--bogus').status, 2)
  t.match(vedette('--version').stdout, /^\d+\.\d+\.\d+/)
})

t.test('start serves /health and /ready, runs monitors, and SIGTERM loses nothing', async (t) => {
  let hits = 0
  const target = createServer((_req, res) => {
    hits++
    // Slow enough that SIGTERM usually lands while a run is in flight.
    setTimeout(() => res.end('ok'), 150)
  })
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
  t.teardown(() => target.close())
  const targetPort = (target.address() as AddressInfo).port
  const port = await freePort()
  const dataDir = join(dir, 'data')
  const cfg = join(dir, 'start.yaml')
  writeFileSync(
    cfg,
    `server: { port: ${port} }\nmonitors:\n  - id: t1\n    type: http\n    interval: 1s\n    config: { url: 'http://127.0.0.1:${targetPort}/' }\n  - id: t2\n    type: http\n    interval: 1s\n    config: { url: 'http://127.0.0.1:${targetPort}/two' }\n`
  )
  const child = spawn(process.execPath, [CLI, 'start', '--config', cfg, '--data-dir', dataDir, '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (b: Buffer) => (output += b.toString()))
  child.stderr.on('data', (b: Buffer) => (output += b.toString()))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  // A failed assertion below must not leave the engine running after the test.
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })

  const base = `http://127.0.0.1:${port}`
  let ready = 0
  for (let i = 0; i < 300 && ready !== 200; i++) {
    await sleep(100)
    ready = await fetch(`${base}/ready`).then((r) => r.status, () => 0)
  }
  t.equal(ready, 200, 'ready')
  t.match(await fetch(`${base}/health`).then((r) => r.json()), { status: 'ok' })
  t.match(output, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`), 'startup says where the API lives')
  t.match(output, new RegExp(dataDir.replace(/[/\\.]/g, '\\$&')), 'and where the data lives')
  while (hits < 4) await sleep(50)
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'exit 0 after SIGTERM')

  const storage = await sqlite.create({}, { name: 'sqlite', engineVersion: '0.1.0', dataDir, resolvePath: (p) => p, logger: silentLogger })
  await storage.start()
  t.teardown(() => storage.stop())
  const stored = (await storage.queryResults('default', 't1', { limit: 1000 })).items.length + (await storage.queryResults('default', 't2', { limit: 1000 })).items.length
  t.equal(stored, hits, `every request the target answered (${hits}) has its stored result`)
})

t.test('validate also runs the check plugin’s own validate()', async (t) => {
  const file = join(dir, 'regex.yaml')
  // Valid against the TCP schema, but the regex does not compile: only the plugin can tell.
  writeFileSync(file, "monitors:\n  - id: a\n    type: tcp\n    interval: 30s\n    config: { host: 127.0.0.1, port: 1, expectRegex: '(' }\n")
  const r = vedette('validate', file)
  t.equal(r.status, 1)
  t.match(r.stderr, /\/monitors\/0\/config: .*expectRegex/)
})

t.test('validate points at a broken assertion with its column', async (t) => {
  const file = join(dir, 'assert.yaml')
  writeFileSync(file, "monitors:\n  - id: a\n    type: http\n    interval: 30s\n    assertions: ['status in 200..299', 'status => 200']\n    config: { url: 'http://127.0.0.1:1/' }\n")
  const r = vedette('validate', file)
  t.equal(r.status, 1)
  t.match(r.stderr, /\/monitors\/0\/assertions\/1: .*column 8/)
})

t.test('validate refuses assertions a check type cannot answer (json on a TCP check)', async (t) => {
  const file = join(dir, 'capability.yaml')
  writeFileSync(
    file,
    "monitors:\n  - id: db\n    type: tcp\n    interval: 30s\n    assertions: ['latency < 100ms', 'json $.ok == true', 'obs.connected == true']\n    config: { host: 127.0.0.1, port: 5432 }\n  - id: web\n    type: http\n    interval: 30s\n    assertions: ['json $.ok == true', 'header.server exists', 'tls.daysUntilExpiry > 14 warning']\n    config: { url: 'https://127.0.0.1/' }\n"
  )
  const r = vedette('validate', file)
  t.equal(r.status, 1)
  t.match(r.stderr, /\/monitors\/0\/assertions\/1: a tcp check does not report a response body/)
  t.notMatch(r.stderr, /assertions\/0|assertions\/2|monitors\/1/, 'latency, declared observations and HTTP bodies are fine')
})
