import t from 'tap'
import { isAuthPlugin, silentLogger } from '@vedette/sdk'
import type { AuthRequest, Logger, PluginContext } from '@vedette/sdk'
import plugin, { ApiKeyAuthenticator, parseConfig, parseKey } from './index.js'
import type { ApiKeyAuthConfig } from './index.js'
import { MemoryDocuments } from './memory-documents.test.util.js'

const bearer = (key: string): AuthRequest => ({ method: 'GET', url: '/api/v1/monitors', headers: { authorization: `Bearer ${key}` } })
const xApiKey = (key: string): AuthRequest => ({ method: 'GET', url: '/api/v1/monitors', headers: { 'x-api-key': key } })
const INVALID = { code: 'VDT_ERR_APIKEY_INVALID', statusCode: 401 }

interface Setup {
  auth: ApiKeyAuthenticator
  docs: MemoryDocuments
  clock: { now: number }
  banners: string[]
  logs: string[]
}

function setup(config: ApiKeyAuthConfig = {}, docs = new MemoryDocuments()): Setup {
  const clock = { now: Date.UTC(2030, 0, 1) }
  const banners: string[] = []
  const logs: string[] = []
  const record = (obj: unknown, msg?: string): void => void logs.push(JSON.stringify({ obj, msg }))
  const logger: Logger = { trace: record, debug: record, info: record, warn: record, error: record, child: () => logger }
  const auth = new ApiKeyAuthenticator({
    config: parseConfig({ bootstrapAdmin: false, ...config }),
    documents: docs,
    logger,
    now: () => clock.now,
    writeBanner: (text) => void banners.push(text)
  })
  return { auth, docs, clock, banners, logs }
}

t.test('plugin shape: branded, needs the document store, validates config', async (t) => {
  t.ok(isAuthPlugin(plugin))
  const ctx: PluginContext = { name: '@vedette/auth-apikey', engineVersion: '0.1.0', dataDir: '/nonexistent', resolvePath: (p) => p, logger: silentLogger }
  t.throws(() => plugin.create({}, ctx), { code: 'VDT_ERR_APIKEY_NO_DOCUMENTS' })
  const withDocs = { ...ctx, documents: new MemoryDocuments() }
  t.ok((await plugin.create({}, withDocs)).keys, 'issues keys')
  t.throws(() => plugin.create({ cacheTtl: -1 }, withDocs), { code: 'VDT_ERR_APIKEY_INVALID_CONFIG', message: /cacheTtl must be an integer from 0 to 3600/ })
  t.throws(() => plugin.create({ ttl: 5 } as never, withDocs), { code: 'VDT_ERR_APIKEY_INVALID_CONFIG', message: /'ttl'/ })
  t.throws(() => plugin.create({ bootstrapAdmin: 'yes' } as never, withDocs), { code: 'VDT_ERR_APIKEY_INVALID_CONFIG', message: /bootstrapAdmin/ })
})

t.test('a created key authenticates through either header, carrying its role', async (t) => {
  const { auth } = setup()
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const { key, info } = await auth.keys.create({ tenantId: 'default', name: `${role}-key`, role })
    t.match(key, /^vdt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)
    t.equal(parseKey(key)?.id, info.id, 'the id is in the key')
    t.same(info, { id: info.id, name: `${role}-key`, role, tenantId: 'default', createdAt: Date.UTC(2030, 0, 1) })
    const expected = { id: info.id, name: `${role}-key`, tenantId: 'default', role }
    t.same(await auth.authenticate(bearer(key)), expected, `${role} via Authorization: Bearer`)
    t.same(await auth.authenticate(xApiKey(key)), expected, `${role} via X-Api-Key`)
  }
  const { key } = await auth.keys.create({ tenantId: 'acme', name: 'other tenant', role: 'editor' })
  t.match(await auth.authenticate(xApiKey(key)), { tenantId: 'acme', role: 'editor' }, 'the tenant comes from the key')
  t.match(await auth.authenticate({ method: 'GET', url: '/', headers: { authorization: `bearer   ${key}` } }), { tenantId: 'acme' }, 'scheme is case-insensitive')
})

t.test('no credentials, or credentials for someone else: null', async (t) => {
  const { auth } = setup()
  t.equal(await auth.authenticate({ method: 'GET', url: '/', headers: {} }), null)
  t.equal(await auth.authenticate({ method: 'GET', url: '/', headers: { authorization: 'Basic dXNlcjpwYXNz' } }), null)
  t.equal(await auth.authenticate(bearer('eyJhbGciOiJSUzI1NiJ9.e30.sig')), null, 'a JWT is left to the next authenticator')
})

t.test('refused: malformed, unknown id, wrong secret; messages never echo the key', async (t) => {
  const { auth } = setup()
  const { key } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'editor' })
  const parts = parseKey(key)
  if (parts === undefined) throw new Error('unparsable key')
  const wrongSecret = `vdt_${parts.id}_${'A'.repeat(43)}`
  const unknownId = `vdt_${'0'.repeat(16)}_${parts.secret}`
  const cases: Array<[string, AuthRequest, RegExp]> = [
    ['malformed bearer', bearer('vdt_nothex_short'), /not a Vedette API key/],
    ['malformed x-api-key', xApiKey('hunter2'), /not a Vedette API key/],
    ['empty x-api-key', xApiKey(' '), /empty/],
    ['a key with one character cut', bearer(key.slice(0, -1)), /not a Vedette API key/],
    ['wrong secret', bearer(wrongSecret), /unknown key or wrong secret/],
    ['unknown id', xApiKey(unknownId), /unknown key or wrong secret/],
    ['the header twice', { method: 'GET', url: '/', headers: { 'x-api-key': [key, key] } }, /more than once/]
  ]
  for (const [name, request, message] of cases) {
    const err = await auth.authenticate(request).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    t.match(err, { ...INVALID, message }, name)
    t.notMatch(err?.message ?? '', parts.secret, `${name}: the secret is not in the message`)
    t.notMatch(err?.message ?? '', 'hunter2', `${name}: the sent value is not in the message`)
  }
  t.same(await auth.authenticate(bearer(key)), { id: parts.id, name: 'ci', tenantId: 'default', role: 'editor' }, 'the real key still works')
})

t.test('revoking through the instance refuses the key at once, even when cached', async (t) => {
  const { auth, clock } = setup({ cacheTtl: 300 })
  const { key, info } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'admin' })
  const other = await auth.keys.create({ tenantId: 'default', name: 'other', role: 'viewer' })
  await auth.authenticate(bearer(key))
  await auth.authenticate(bearer(other.key))
  t.equal(await auth.keys.revoke('acme', info.id), false, 'another tenant cannot revoke it')
  t.equal(await auth.keys.revoke('default', 'ffffffffffffffff'), false, 'unknown id')
  clock.now += 1000
  t.equal(await auth.keys.revoke('default', info.id), true)
  await t.rejects(auth.authenticate(bearer(key)), { ...INVALID, message: /key [0-9a-f]{16} was revoked at 2030-01-01T00:00:01\.000Z/ })
  await t.rejects(auth.authenticate(xApiKey(key)), INVALID)
  t.match(await auth.authenticate(bearer(other.key)), { name: 'other' }, 'other keys are untouched')
  t.equal(await auth.keys.revoke('default', info.id), true, 'revoking twice is fine')
  const listed = await auth.keys.list('default')
  t.equal(listed.find((k) => k.id === info.id)?.revokedAt, Date.UTC(2030, 0, 1, 0, 0, 1), 'the first revocation time is kept')
  t.equal(listed.find((k) => k.id === other.info.id)?.revokedAt, undefined)
})

t.test('a revoke during verification does not let the verification fill the cache', async (t) => {
  const { auth } = setup({ cacheTtl: 300 })
  const { key, info } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'admin' })
  const inFlight = auth.authenticate(bearer(key))
  await auth.keys.revoke('default', info.id)
  await inFlight.catch(() => undefined)
  await t.rejects(auth.authenticate(bearer(key)), { ...INVALID, message: /revoked/ })
})

t.test('expired keys are refused, including from the cache', async (t) => {
  const { auth, clock } = setup({ cacheTtl: 3600 })
  const start = clock.now
  await t.rejects(auth.keys.create({ tenantId: 'default', name: 'past', role: 'viewer', expiresAt: start - 1 }), {
    code: 'VDT_ERR_APIKEY_INVALID_INPUT',
    statusCode: 400,
    message: /not in the future/
  })
  const { key, info } = await auth.keys.create({ tenantId: 'default', name: 'short', role: 'viewer', expiresAt: start + 10_000 })
  t.equal(info.expiresAt, start + 10_000)
  t.match(await auth.authenticate(bearer(key)), { role: 'viewer' }, 'valid until then (and now cached)')
  clock.now = start + 10_000
  await t.rejects(auth.authenticate(bearer(key)), { ...INVALID, message: /expired at 2030-01-01T00:00:10\.000Z/ }, 'refused from the cache')
  await t.rejects(auth.authenticate(bearer(key)), { ...INVALID, message: /expired/ }, 'and after re-reading storage')
})

t.test('verified keys are cached for cacheTtl; cacheTtl 0 reads storage every time', async (t) => {
  for (const [ttl, expectedReads] of [
    [30, 0],
    [0, 3]
  ] as const) {
    const { auth, docs } = setup({ cacheTtl: ttl })
    const { key } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'viewer' })
    await auth.authenticate(bearer(key))
    let reads = 0
    const get = docs.get.bind(docs)
    docs.get = async (...args) => {
      reads++
      return get(...args)
    }
    const started = performance.now()
    for (let i = 0; i < 3; i++) await auth.authenticate(bearer(key))
    t.equal(reads > 0 ? reads / 2 : 0, expectedReads, `cacheTtl ${ttl}: ${reads} storage reads (index + record per miss)`)
    if (ttl > 0) t.ok(performance.now() - started < 20, 'hits skip scrypt')
  }
  const { auth, docs, clock } = setup({ cacheTtl: 30 })
  const { key } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'viewer' })
  await auth.authenticate(bearer(key))
  // Revoked behind the instance's back (another node): accepted until the TTL, refused after it.
  const stored = await docs.get('default', 'keys', parseKey(key)?.id ?? '')
  await docs.put('default', 'keys', stored?.id ?? '', { ...stored?.doc, revokedAt: clock.now })
  t.ok(await auth.authenticate(bearer(key)), 'within the TTL the cached verification stands')
  clock.now += 30_000
  await t.rejects(auth.authenticate(bearer(key)), { ...INVALID, message: /revoked/ }, 'after the TTL storage is read again')
})

t.test('the cache is bounded', async (t) => {
  const { auth, docs } = setup({ cacheSize: 2 })
  const keys = [] as string[]
  for (const name of ['a', 'b', 'c']) keys.push((await auth.keys.create({ tenantId: 'default', name, role: 'viewer' })).key)
  for (const key of keys) await auth.authenticate(bearer(key))
  let reads = 0
  const get = docs.get.bind(docs)
  docs.get = async (...args) => {
    reads++
    return get(...args)
  }
  await auth.authenticate(bearer(keys[2] as string))
  await auth.authenticate(bearer(keys[1] as string))
  t.equal(reads, 0, 'the two newest are cached')
  await auth.authenticate(bearer(keys[0] as string))
  t.equal(reads, 2, 'the oldest was evicted')
})

t.test('concurrent requests with one new key share a single verification', async (t) => {
  const { auth, docs } = setup()
  const { key } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'viewer' })
  let reads = 0
  const get = docs.get.bind(docs)
  docs.get = async (...args) => {
    reads++
    return get(...args)
  }
  const results = await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(bearer(key))))
  t.equal(results.length, 20)
  t.equal(reads, 2, 'one index read and one record read')
})

t.test('lastUsedAt is written at most once a minute per key', async (t) => {
  const { auth, docs, clock } = setup({ cacheTtl: 0 })
  const { key, info } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'viewer' })
  t.equal((await auth.keys.list('default'))[0]?.lastUsedAt, undefined, 'never used')
  const writesBefore = docs.writes
  const first = clock.now
  for (let i = 0; i < 5; i++) {
    await auth.authenticate(bearer(key))
    clock.now += 10_000
  }
  await auth.stop() // waits for the background writes
  t.equal(docs.writes - writesBefore, 1, 'five requests within a minute: one write')
  t.equal((await auth.keys.list('default'))[0]?.lastUsedAt, first)
  clock.now = first + 60_000
  await auth.authenticate(xApiKey(key))
  await auth.stop()
  t.equal(docs.writes - writesBefore, 2, 'a minute later: the next write')
  t.match(await auth.keys.list('default'), [{ id: info.id, lastUsedAt: first + 60_000 }])
})

t.test('list shows facts, never secrets or hashes; tenants are separate', async (t) => {
  const { auth, docs, clock } = setup()
  const a = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'editor', expiresAt: Date.UTC(2031, 0, 1) })
  clock.now += 1 // listed oldest first
  const b = await auth.keys.create({ tenantId: 'default', name: '  grafana  ', role: 'viewer' })
  await auth.keys.create({ tenantId: 'acme', name: 'acme-admin', role: 'admin' })
  const list = await auth.keys.list('default')
  t.same(
    list.map((k) => Object.keys(k).sort()),
    [
      ['createdAt', 'expiresAt', 'id', 'name', 'role', 'tenantId'],
      ['createdAt', 'id', 'name', 'role', 'tenantId']
    ]
  )
  t.same(
    list.map((k) => k.name),
    ['ci', 'grafana'],
    'names are trimmed'
  )
  const text = JSON.stringify(list)
  for (const { key } of [a, b]) t.notMatch(text, parseKey(key)?.secret ?? '?', 'no secret')
  t.notMatch(text, /hash|salt|scrypt/)
  t.same((await auth.keys.list('acme')).map((k) => k.name), ['acme-admin'])
  t.same(await auth.keys.list('nobody'), [])

  // And what storage holds: the hash, never the key or its secret.
  const dump = docs.dump()
  for (const { key } of [a, b]) {
    t.notMatch(dump, key, 'the key is not stored')
    t.notMatch(dump, parseKey(key)?.secret ?? '?', 'the secret is not stored')
  }
  const stored = await docs.get('default', 'keys', a.info.id)
  t.match(stored?.doc, { id: a.info.id, name: 'ci', role: 'editor', tenantId: 'default', hash: /^[A-Za-z0-9_-]{43}$/, salt: /^[A-Za-z0-9_-]{22}$/, kdf: 'scrypt:32768:8:1' })
})

t.test('create validates its input', async (t) => {
  const { auth } = setup()
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ tenantId: 'default', name: '', role: 'viewer' }, /name must be 1 to 100/],
    [{ tenantId: 'default', name: 'x'.repeat(101), role: 'viewer' }, /name must be 1 to 100/],
    [{ tenantId: 'default', name: 'a\nb', role: 'viewer' }, /printable/],
    [{ tenantId: 'default', name: 'ok', role: 'root' }, /role must be one of viewer, editor, admin, got "root"/],
    [{ tenantId: '', name: 'ok', role: 'viewer' }, /tenantId/],
    [{ tenantId: 'default', name: 'ok', role: 'viewer', expiresAt: 1.5 }, /epoch milliseconds/]
  ]
  for (const [input, message] of bad) {
    await t.rejects(auth.keys.create(input as never), { code: 'VDT_ERR_APIKEY_INVALID_INPUT', statusCode: 400, message }, JSON.stringify(input))
  }
})

t.test('a damaged stored record never authenticates', async (t) => {
  const { auth, docs } = setup()
  const { key, info } = await auth.keys.create({ tenantId: 'default', name: 'ci', role: 'admin' })
  const stored = await docs.get('default', 'keys', info.id)
  await docs.put('default', 'keys', info.id, { ...stored?.doc, hash: undefined })
  await t.rejects(auth.authenticate(bearer(key)), INVALID, 'no hash')
  await docs.put('default', 'keys', info.id, { ...stored?.doc, kdf: 'scrypt:1048576:64:64' })
  await t.rejects(auth.authenticate(bearer(key)), INVALID, 'absurd scrypt parameters')
  await docs.put('default', 'keys', info.id, { ...stored?.doc, role: 'root' })
  await t.rejects(auth.authenticate(bearer(key)), INVALID, 'unknown role')
  t.same(await auth.keys.list('default'), [], 'damaged records are not listed')
})

t.test('bootstrap: the first start prints an admin key once; later starts print nothing', async (t) => {
  const docs = new MemoryDocuments()
  const first = setup({ bootstrapAdmin: true }, docs)
  await first.auth.start()
  t.equal(first.banners.length, 1)
  const banner = first.banners[0] as string
  const key = /(vdt_\S+)/.exec(banner)?.[1] ?? ''
  t.match(banner, /WILL NOT BE SHOWN AGAIN/)
  t.match(banner, /STORE IT NOW/)
  const principal = await first.auth.authenticate(bearer(key))
  t.match(principal, { name: 'bootstrap-admin', role: 'admin', tenantId: 'default' })
  t.notMatch(first.logs.join('\n'), parseKey(key)?.secret ?? '?', 'the secret is not logged')
  t.match(first.logs.join('\n'), /bootstrap admin API key/, 'but the creation is')
  await first.auth.stop()

  const second = setup({ bootstrapAdmin: true }, docs)
  await second.auth.start()
  t.same(second.banners, [], 'a store with a key: nothing printed')
  await second.auth.keys.revoke('default', principal?.id ?? '')
  const third = setup({ bootstrapAdmin: true }, docs)
  await third.auth.start()
  t.same(third.banners, [], 'a revoked key still counts: revoking the bootstrap key does not bring it back')
  t.equal((await third.auth.keys.list('default')).length, 1)

  const off = setup({ bootstrapAdmin: false })
  await off.auth.start()
  t.same(off.banners, [])
  t.same(await off.auth.keys.list('default'), [], 'bootstrapAdmin: false creates nothing')
})

t.test('the default banner goes to stderr, not stdout', async (t) => {
  const docs = new MemoryDocuments()
  const auth = new ApiKeyAuthenticator({ config: parseConfig({}), documents: docs, logger: silentLogger })
  const written: string[] = []
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk))
    return true
  }) as typeof process.stderr.write
  try {
    await auth.start()
  } finally {
    process.stderr.write = write
  }
  t.match(written.join(''), /vdt_[0-9a-f]{16}_/)
})
