import t from 'tap'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../test-support.js'
import { setTimeout as sleep } from 'node:timers/promises'

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'vedette-cfgfile-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

function doc(port: number, ids: string[], interval = '1h'): string {
  const monitors = ids.map((id) => `  - id: ${id}\n    type: tcp\n    interval: ${interval}\n    config: { host: 127.0.0.1, port: ${port} }\n`).join('')
  return `server: { port: ${port} }\nauth: { enabled: false }\nmonitors:\n${monitors}`
}

async function start(args: string[]): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'start', ...args, '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()))
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, output: () => out, exited }
}

async function until(fn: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await fn().catch(() => false))) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await sleep(100)
  }
}

const ids = async (base: string): Promise<string[]> =>
  ((await (await fetch(`${base}/api/v1/monitors`)).json()) as { items: Array<{ id: string }> }).items.map((m) => m.id)

t.test('--watch applies valid edits as versions and rejects a broken edit, keeping the running config', async (t) => {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const file = join(dir, 'watched.yaml')
  writeFileSync(file, doc(port, ['a']))
  const run = await start(['--config', file, '--data-dir', join(dir, 'data-watch'), '--watch'])
  t.teardown(() => void run.child.kill('SIGKILL'))
  await until(async () => (await fetch(`${base}/ready`)).status === 200)
  t.same(await ids(base), ['a'])

  writeFileSync(file, doc(port, ['a', 'b']))
  await until(async () => (await ids(base)).includes('b'))
  t.pass('a valid edit was applied')

  writeFileSync(file, doc(port, ['a', 'b', 'c'], 'soon'))
  await until(async () => run.output().includes('config file edit rejected'))
  t.same(await ids(base), ['a', 'b'], 'the broken edit changed nothing')
  const history = (await (await fetch(`${base}/api/v1/config/history`)).json()) as { items: Array<{ version: number; author: string }> }
  t.same(history.items.map((v) => v.version), [2, 1], 'one version per applied edit, none for the rejected one')
  t.match(history.items[0]?.author, /^file:/)
  run.child.kill('SIGTERM')
  t.equal(await run.exited, 0)
})

t.test('monitors created through the API survive a restart while the file is unchanged; an edited file wins', async (t) => {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const file = join(dir, 'restart.yaml')
  const dataDir = join(dir, 'data-restart')
  writeFileSync(file, doc(port, ['a']))
  const first = await start(['--config', file, '--data-dir', dataDir])
  await until(async () => (await fetch(`${base}/ready`)).status === 200)
  const created = await fetch(`${base}/api/v1/monitors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'from-api', type: 'tcp', interval: '1h', config: { host: '127.0.0.1', port } })
  })
  t.equal(created.status, 201)
  first.child.kill('SIGTERM')
  t.equal(await first.exited, 0)

  const second = await start(['--config', file, '--data-dir', dataDir])
  await until(async () => (await fetch(`${base}/ready`)).status === 200)
  t.same(await ids(base), ['a', 'from-api'], 'the stored document, API changes included, is what runs')
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0)

  writeFileSync(file, doc(port, ['a', 'z']))
  const third = await start(['--config', file, '--data-dir', dataDir])
  t.teardown(() => void third.child.kill('SIGKILL'))
  await until(async () => (await fetch(`${base}/ready`)).status === 200)
  t.same(await ids(base), ['a', 'z'], 'an edited file becomes the new version')
  const history = (await (await fetch(`${base}/api/v1/config/history`)).json()) as { items: Array<{ version: number; summary: string }> }
  t.equal(history.items[0]?.version, 3)
  t.match(history.items[0]?.summary, /config file changed/)
  third.child.kill('SIGTERM')
  await third.exited
})
