import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createNetServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { silentLogger } from '@vedette/sdk'
import sqlite from '@vedette/storage-sqlite'
import apikey from '@vedette/auth-apikey'
import { pluginDocuments } from '../plugins/plugin-documents.js'
import { parseExpires } from './keys-command.js'

const CLI = fileURLToPath(new URL('./main.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'vedette-keys-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

const KEY_LINE = /^vdt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/

function vedette(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? ''

/** Authenticates a key against the store the CLI wrote, the way the engine's auth plugin would. */
async function authenticateIn(dataDir: string, key: string): Promise<unknown> {
  const ctx = { name: '@vedette/storage-sqlite', engineVersion: '0.1.0', dataDir, resolvePath: (p: string) => p, logger: silentLogger }
  const storage = await sqlite.create({}, ctx)
  await storage.start()
  try {
    const auth = await apikey.create({ bootstrapAdmin: false }, { ...ctx, name: '@vedette/auth-apikey', documents: pluginDocuments(storage, '@vedette/auth-apikey') })
    await auth.start?.()
    try {
      return await auth.authenticate({ method: 'GET', url: '/api/v1/monitors', headers: { authorization: `Bearer ${key}` } })
    } finally {
      await auth.stop?.()
    }
  } finally {
    await storage.stop()
  }
}

t.test('create prints the key last; list shows it without the secret; revoke refuses it', async (t) => {
  const dataDir = join(dir, 'data-crud')
  const cfg = join(dir, 'crud.yaml')
  writeFileSync(cfg, `dataDir: ${JSON.stringify(dataDir)}\nmonitors: []\n`)

  const created = vedette('keys', 'create', '--name', 'ci deploy', '--role', 'editor', '--expires', '2099-01-31T12:00:00Z', '--config', cfg)
  t.equal(created.status, 0, created.stderr)
  const key = lastLine(created.stdout)
  t.match(key, KEY_LINE, 'the last line is the key')
  const id = key.slice(4, 20)
  t.match(created.stdout, new RegExp(`Created API key ${id} \\(name ci deploy, role editor, tenant default, expires 2099-01-31T12:00:00Z\\)`))
  t.match(created.stdout, /cannot be shown again/)
  t.notMatch(created.stderr, /vdt_/, 'no bootstrap key from the CLI')

  t.match(await authenticateIn(dataDir, key), { id, name: 'ci deploy', role: 'editor', tenantId: 'default' }, 'the engine’s auth plugin accepts it')

  const admin = vedette('keys', 'create', '--name', 'ops', '--role', 'admin', '--config', cfg)
  t.equal(admin.status, 0, admin.stderr)
  const adminKey = lastLine(admin.stdout)
  t.match(adminKey, KEY_LINE)
  t.not(adminKey, key)

  const listed = vedette('keys', 'list', '--config', cfg)
  t.equal(listed.status, 0, listed.stderr)
  const lines = listed.stdout.trimEnd().split('\n')
  t.match(lines[0], /^ID\s+NAME\s+ROLE\s+STATUS\s+CREATED\s+EXPIRES\s+LAST USED$/)
  t.equal(lines.length, 3, 'two keys, no bootstrap key')
  t.match(listed.stdout, new RegExp(`${id}\\s+ci deploy\\s+editor\\s+active\\s+\\S+Z\\s+2099-01-31T12:00:00Z\\s+\\S+`))
  t.match(listed.stdout, /ops\s+admin\s+active/)
  for (const k of [key, adminKey]) {
    t.notMatch(listed.stdout, k.slice(21), 'no secret in the listing')
  }

  const revoked = vedette('keys', 'revoke', id, '--config', cfg)
  t.equal(revoked.status, 0, revoked.stderr)
  t.match(revoked.stdout, new RegExp(`Revoked API key ${id}`))
  t.match(vedette('keys', 'list', '--config', cfg).stdout, new RegExp(`${id}\\s+ci deploy\\s+editor\\s+revoked`))
  await t.rejects(authenticateIn(dataDir, key), { code: 'VDT_ERR_APIKEY_INVALID', message: /revoked/ })
  t.match(await authenticateIn(dataDir, adminKey), { role: 'admin' }, 'the other key still works')

  const missing = vedette('keys', 'revoke', 'ffffffffffffffff', '--config', cfg)
  t.equal(missing.status, 1)
  t.match(missing.stderr, /VDT_ERR_KEY_NOT_FOUND: API key 'ffffffffffffffff' does not exist/)

  const otherTenant = vedette('keys', 'list', '--tenant', 'acme', '--config', cfg)
  t.equal(otherTenant.status, 0)
  t.match(otherTenant.stdout, /No API keys in tenant acme/)
})

t.test('--data-dir overrides the config, as for start', async (t) => {
  const cfg = join(dir, 'datadir.yaml')
  writeFileSync(cfg, `dataDir: ${JSON.stringify(join(dir, 'unused'))}\nmonitors: []\n`)
  const dataDir = join(dir, 'data-flag')
  const created = vedette('keys', 'create', '--name', 'x', '--role', 'viewer', '--config', cfg, '--data-dir', dataDir)
  t.equal(created.status, 0, created.stderr)
  t.match(await authenticateIn(dataDir, lastLine(created.stdout)), { role: 'viewer' })
})

t.test('usage errors exit 2 and name the flag', async (t) => {
  const cfg = join(dir, 'usage.yaml')
  writeFileSync(cfg, `dataDir: ${JSON.stringify(join(dir, 'data-usage'))}\nmonitors: []\n`)
  const cases: Array<[string[], RegExp]> = [
    [['create', '--name', 'x', '--role', 'root'], /--role must be one of viewer, editor, admin, got 'root'/],
    [['create', '--name', 'x'], /--role is required/],
    [['create', '--role', 'viewer'], /--name is required/],
    [['create', '--name', 'x', '--role', 'viewer', '--expires', 'next tuesday'], /--expires must be an ISO 8601 date/],
    [['create', '--name', 'x', '--role', 'viewer', '--expires', '2001-01-01'], /--expires must be in the future/],
    [['list', '--role', 'admin'], /--role does not apply to list/],
    [['revoke'], /name the key to revoke/],
    [['rotate'], /unknown subcommand 'rotate'/],
    [[], /name a subcommand/],
    [['create', '--bogus'], /bogus/]
  ]
  for (const [args, message] of cases) {
    const r = vedette('keys', ...args, '--config', cfg)
    t.equal(r.status, 2, `keys ${args.join(' ')}`)
    t.match(r.stderr, message, `keys ${args.join(' ')}`)
    t.match(r.stderr, /Usage:\n {2}vedette keys create/)
  }
  t.equal(vedette('keys', 'list', '--config', cfg).stdout.trim(), 'No API keys in tenant default.', 'nothing was created by the failed calls')
  t.match(vedette('--help').stdout, /vedette keys create\|list\|revoke/)
  t.match(vedette('keys', '--help'), { status: 0, stdout: /vedette keys revoke ID/ })
})

t.test('parseExpires: ISO dates and date-times, durations from now, never the past', async (t) => {
  const now = Date.UTC(2030, 0, 1)
  t.equal(parseExpires('2030-02-01', now), Date.UTC(2030, 1, 1))
  t.equal(parseExpires('2030-01-01T12:30:00Z', now), Date.UTC(2030, 0, 1, 12, 30))
  t.equal(parseExpires('2030-01-01T12:30:00+02:00', now), Date.UTC(2030, 0, 1, 10, 30))
  t.equal(parseExpires('90d', now), now + 90 * 86_400_000)
  t.equal(parseExpires('12h', now), now + 12 * 3_600_000)
  t.throws(() => parseExpires('2029-12-31', now), /in the future/)
  t.throws(() => parseExpires('2030-13-45', now), /ISO 8601/)
  t.throws(() => parseExpires('1735689600000', now), /ISO 8601/)
})

t.test('a running engine and the CLI share the store: bootstrap key once, CLI keys work, CLI revokes apply', async (t) => {
  const srv = createNetServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as AddressInfo).port
  await new Promise((r) => srv.close(r))
  const dataDir = join(dir, 'data-engine')
  const cfg = join(dir, 'engine.yaml')
  // cacheTtl 0: the engine reads storage on every request, so a revoke by the CLI shows at once.
  writeFileSync(
    cfg,
    `dataDir: ${JSON.stringify(dataDir)}\nserver: { port: ${port}, host: 127.0.0.1 }\nauth:\n  plugins:\n    - plugin: '@vedette/auth-apikey'\n      config: { cacheTtl: 0 }\nmonitors: []\n`
  )
  const base = `http://127.0.0.1:${port}`

  async function start(): Promise<{ output: () => string; stderr: () => string; stop: () => Promise<number | null> }> {
    const child = spawn(process.execPath, [CLI, 'start', '--config', cfg, '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (b: Buffer) => (out += b.toString()))
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    t.teardown(() => void child.kill('SIGKILL'))
    let ready = 0
    for (let i = 0; i < 150 && ready !== 200; i++) {
      await sleep(100)
      ready = await fetch(`${base}/ready`).then((r) => r.status, () => 0)
    }
    t.equal(ready, 200, `engine ready: ${err}`)
    return {
      output: () => out,
      stderr: () => err,
      stop: async () => {
        child.kill('SIGTERM')
        return exited
      }
    }
  }

  const first = await start()
  const bootstrap = /(vdt_[0-9a-f]{16}_[A-Za-z0-9_-]{43})/.exec(first.stderr())?.[1] ?? ''
  t.match(bootstrap, KEY_LINE, 'the first start prints a bootstrap key on stderr')
  t.match(first.stderr(), /WILL NOT BE SHOWN AGAIN/)
  t.notMatch(first.output(), bootstrap.slice(21), 'the secret is not in the logs')
  t.match(first.output(), /bootstrap admin API key/, 'the logs say a key was made')
  const auth = (key: string) => ({ headers: { authorization: `Bearer ${key}` } })
  const keys = await fetch(`${base}/api/v1/keys`, auth(bootstrap))
  t.equal(keys.status, 200)
  t.match(await keys.json(), { items: [{ name: 'bootstrap-admin', role: 'admin' }] })

  const created = vedette('keys', 'create', '--name', 'grafana', '--role', 'viewer', '--config', cfg)
  t.equal(created.status, 0, created.stderr)
  const viewer = lastLine(created.stdout)
  t.equal((await fetch(`${base}/api/v1/plugins`, auth(viewer))).status, 200, 'a key made by the CLI works on the running engine')
  t.equal((await fetch(`${base}/api/v1/keys`, auth(viewer))).status, 403, 'as a viewer')

  t.equal(vedette('keys', 'revoke', viewer.slice(4, 20), '--config', cfg).status, 0)
  const refused = await fetch(`${base}/api/v1/plugins`, auth(viewer))
  t.equal(refused.status, 401, 'revoked by the CLI: refused by the engine')
  t.match(await refused.json(), { code: 'VDT_ERR_APIKEY_INVALID' })
  t.equal(await first.stop(), 0)

  const second = await start()
  t.notMatch(second.stderr(), /vdt_/, 'the second start prints no key')
  t.equal((await fetch(`${base}/api/v1/keys`, auth(bootstrap))).status, 200, 'the bootstrap key survives the restart')
  t.equal(await second.stop(), 0)
})
