import t from 'tap'
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { silentLogger } from '@vedette/sdk'
import type { AuthenticatorInstance, Role } from '@vedette/sdk'
import { MemoryStorage } from '@vedette/storage-memory'
import apikey from '@vedette/auth-apikey'
import type { Engine } from '../../engine/engine.js'
import type { ConfigService } from '../../config-service/config-service.js'
import { createLogger } from '../../logger.js'
import { pluginDocuments } from '../../plugins/plugin-documents.js'
import { createServer } from '../../server/create-server.js'
import { installAuth } from '../auth-hook.js'
import { ERROR_ENVELOPE } from '../schemas/shared-schemas.js'
import { keyRoutes } from './key-routes.js'

/** The server's error handler and ajv options, the auth hook, and only the key routes under /api/v1. */
async function api(t: Test, authenticators: AuthenticatorInstance[]): Promise<FastifyInstance> {
  const engine = { authenticators, status: 'running' } as unknown as Engine
  const app = await createServer(engine, { logger: createLogger({ level: 'silent' }) })
  app.addSchema(ERROR_ENVELOPE)
  installAuth(app, { enabled: true, authenticators, publicMetrics: true, logger: silentLogger })
  await app.register(async (scope) => keyRoutes(scope, { engine, config: undefined as unknown as ConfigService }), { prefix: '/api/v1' })
  await app.ready()
  t.teardown(() => app.close())
  return app
}

async function setup(t: Test) {
  const storage = new MemoryStorage('@vedette/storage-memory')
  await storage.start()
  t.teardown(() => storage.stop())
  const auth = await apikey.create(
    { bootstrapAdmin: false },
    { name: '@vedette/auth-apikey', engineVersion: '0.1.0', dataDir: '/nonexistent', resolvePath: (p) => p, logger: silentLogger, documents: pluginDocuments(storage, '@vedette/auth-apikey') }
  )
  await auth.start?.()
  const keys = auth.keys
  if (keys === undefined) throw new Error('auth-apikey has no key manager')
  const make = async (role: Role, tenantId = 'default') => (await keys.create({ tenantId, name: `${role}-${tenantId}`, role })).key
  return { app: await api(t, [auth]), auth, keys, make }
}

const as = (key: string) => ({ authorization: `Bearer ${key}` })

t.test('admins list, create and revoke keys; the new key is shown once and works', async (t) => {
  const { app, make } = await setup(t)
  const admin = await make('admin')

  const listed = await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(admin) })
  t.equal(listed.statusCode, 200, listed.body)
  t.match(listed.json(), { items: [{ name: 'admin-default', role: 'admin', tenantId: 'default' }] })
  t.notMatch(listed.body, /hash|salt|kdf/, 'no hash in the listing')

  const expiresAt = '2099-06-30T12:00:00Z'
  const created = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(admin), payload: { name: 'ci', role: 'editor', expiresAt } })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers['cache-control'], 'no-store')
  const body = created.json() as { key: string; info: { id: string; expiresAt: number } }
  t.match(body, { key: /^vdt_[0-9a-f]{16}_/, info: { name: 'ci', role: 'editor', tenantId: 'default', expiresAt: Date.parse(expiresAt) } })
  t.notOk('hash' in body.info)

  const epoch = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(admin), payload: { name: 'epoch', role: 'viewer', expiresAt: 4_102_444_800_000 } })
  t.equal(epoch.statusCode, 201, epoch.body)
  t.equal((epoch.json() as { info: { expiresAt: number } }).info.expiresAt, 4_102_444_800_000, 'epoch milliseconds too')

  // The editor key authenticates, but key management is admin only.
  const forbidden = await app.inject({ method: 'GET', url: '/api/v1/keys', headers: { 'x-api-key': body.key } })
  t.equal(forbidden.statusCode, 403)
  t.match(forbidden.json(), { code: 'VDT_ERR_FORBIDDEN', message: /admin role; the key has editor/ })

  const listedAgain = (await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(admin) })).json() as { items: Array<{ id: string }> }
  t.equal(listedAgain.items.length, 3)
  t.notMatch(JSON.stringify(listedAgain), body.key.slice(21), 'the listing never shows a secret')

  const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/keys/${body.info.id}`, headers: as(admin) })
  t.equal(revoked.statusCode, 204, revoked.body)
  t.equal(revoked.body, '')
  const refused = await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(body.key) })
  t.equal(refused.statusCode, 401)
  t.match(refused.json(), { code: 'VDT_ERR_APIKEY_INVALID', message: /revoked/ })
  t.notMatch(refused.body, body.key, 'the error does not echo the key')
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/keys/${body.info.id}`, headers: as(admin) })).statusCode, 204, 'revoking again is fine')
  t.match((await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(admin) })).json(), { items: [{}, { id: body.info.id, revokedAt: Number }, {}] }, 'revoked keys stay listed')

  const missing = await app.inject({ method: 'DELETE', url: '/api/v1/keys/0000000000000000', headers: as(admin) })
  t.equal(missing.statusCode, 404)
  t.match(missing.json(), { code: 'VDT_ERR_KEY_NOT_FOUND', message: /0000000000000000/ })
})

t.test('bad bodies are 400 with a code; unknown fields are refused', async (t) => {
  const { app, make } = await setup(t)
  const admin = await make('admin')
  const cases: Array<[Record<string, unknown>, string, RegExp?]> = [
    [{ name: 'x', role: 'root' }, 'VDT_ERR_VALIDATION'],
    [{ role: 'viewer' }, 'VDT_ERR_VALIDATION'],
    [{ name: '', role: 'viewer' }, 'VDT_ERR_VALIDATION'],
    [{ name: 'x', role: 'viewer', scope: 'all' }, 'VDT_ERR_VALIDATION'],
    [{ name: 'x', role: 'viewer', expiresAt: 'tomorrow' }, 'VDT_ERR_VALIDATION'],
    [{ name: 'x', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' }, 'VDT_ERR_APIKEY_INVALID_INPUT', /not in the future/],
    [{ name: 'x', role: 'viewer', expiresAt: 1000 }, 'VDT_ERR_APIKEY_INVALID_INPUT', /not in the future/]
  ]
  for (const [payload, code, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(admin), payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { code, ...(message === undefined ? {} : { message }) }, JSON.stringify(payload))
  }
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(admin) })).json().items.length, 1, 'nothing was created')
})

t.test('roles and credentials: viewer and editor get 403, nobody gets 401', async (t) => {
  const { app, make } = await setup(t)
  for (const role of ['viewer', 'editor'] as const) {
    const key = await make(role)
    for (const [method, url] of [
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/keys'],
      ['DELETE', '/api/v1/keys/0123456789abcdef']
    ] as const) {
      const res = await app.inject({ method, url, headers: as(key), ...(method === 'POST' ? { payload: { name: 'x', role: 'admin' } } : {}) })
      t.equal(res.statusCode, 403, `${role} ${method} ${url}`)
    }
  }
  const anonymous = await app.inject({ method: 'GET', url: '/api/v1/keys' })
  t.equal(anonymous.statusCode, 401)
  t.match(anonymous.json(), { code: 'VDT_ERR_AUTH_REQUIRED' })
})

t.test("an admin sees and revokes only their tenant's keys", async (t) => {
  const { app, make, keys } = await setup(t)
  const admin = await make('admin')
  const acmeAdmin = await make('admin', 'acme')
  const items = (await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(acmeAdmin) })).json().items as Array<{ tenantId: string }>
  t.same(items.map((k) => k.tenantId), ['acme'])
  const [defaultKey] = await keys.list('default')
  const res = await app.inject({ method: 'DELETE', url: `/api/v1/keys/${defaultKey?.id}`, headers: as(acmeAdmin) })
  t.equal(res.statusCode, 404, 'another tenant’s key does not exist for them')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/keys', headers: as(admin) })).statusCode, 200, 'and it still works')
  const created = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: as(acmeAdmin), payload: { name: 'acme-ci', role: 'viewer' } })
  t.match(created.json(), { info: { tenantId: 'acme' } }, 'keys are created in the caller’s tenant')
})

t.test('without a key-issuing auth plugin: 404 with a code', async (t) => {
  const principal = { id: 'sso', name: 'sso user', tenantId: 'default', role: 'admin' as const }
  const app = await api(t, [{ authenticate: async () => principal }])
  for (const [method, url] of [
    ['GET', '/api/v1/keys'],
    ['POST', '/api/v1/keys'],
    ['DELETE', '/api/v1/keys/abc']
  ] as const) {
    const res = await app.inject({ method, url, ...(method === 'POST' ? { payload: { name: 'x', role: 'viewer' } } : {}) })
    t.equal(res.statusCode, 404, `${method} ${url}`)
    t.match(res.json(), { code: 'VDT_ERR_KEYS_UNAVAILABLE', message: /@vedette\/auth-apikey/ })
  }
})
