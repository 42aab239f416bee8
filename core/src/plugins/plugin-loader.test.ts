import t from 'tap'
import { silentLogger } from '@vedette/sdk'
import { PluginLoader } from './plugin-loader.js'
import { FIXTURE_PLUGINS } from '../test-support.js'

const loader = new PluginLoader({ engineVersion: '0.1.0', baseDir: FIXTURE_PLUGINS, initTimeoutMs: 200 })
const ctx = { name: 'x', engineVersion: '0.1.0', dataDir: '/tmp', resolvePath: (p: string) => p, logger: silentLogger }

t.test('first-party checks and the default storage need no listing', async (t) => {
  const catalog = loader.catalog()
  t.same(catalog.checks.map((c) => c.shortName).sort(), ['dns', 'heartbeat', 'http', 'icmp', 'nagios', 'tcp', 'tls'])
  t.equal(catalog.storage.name, '@vedette/storage-sqlite')
  t.equal(loader.catalog({ storage: 'memory' }).storage.name, '@vedette/storage-memory')
})

t.test('a plugin named by path loads and its checks are typed by manifest name', async (t) => {
  const catalog = loader.catalog({ storage: 'memory', plugins: ['./check-ok', './check-spin'] })
  const checks = await loader.loadChecks(catalog)
  t.equal(checks.get('ok')?.name, 'vedette-check-ok')
  t.equal(checks.get('ok')?.isolation, 'thread')
  t.equal(checks.get('ok')?.defaultTimeoutMs, 10_000)
  t.equal(checks.get('spin')?.isolation, 'process')
  t.equal(checks.get('spin')?.defaultTimeoutMs, 1000)
})

t.test('each load failure has its own code and names the plugin', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['./does-not-exist', 'VDT_ERR_PLUGIN_NOT_FOUND', /does-not-exist/],
    ['vedette-no-such-package', 'VDT_ERR_PLUGIN_NOT_FOUND', /vedette-no-such-package/],
    ['./bad-manifest', 'VDT_ERR_PLUGIN_MANIFEST_INVALID', /vedette-check-badmanifest.*kind/],
    ['./bad-api', 'VDT_ERR_PLUGIN_API_VERSION', /vedette-check-badapi.*vedette\/v9.*vedette\/v1/],
    ['./bad-engine', 'VDT_ERR_PLUGIN_ENGINE_INCOMPATIBLE', /vedette-check-future.*>=99\.0\.0.*0\.1\.0/],
    ['./missing-dep', 'VDT_ERR_PLUGIN_DEPENDENCY_MISSING', /vedette-check-needsdep.*@vedette\/not-installed/],
    ['./dup-http', 'VDT_ERR_PLUGIN_DUPLICATE', /vedette-check-dup-http.*'http'/]
  ]
  for (const [ref, code, message] of cases) {
    t.throws(() => loader.catalog({ storage: 'memory', plugins: [ref] }), { code, message }, `${ref} → ${code}`)
  }
})

t.test('an incompatible plugin is never imported (its module would throw)', async (t) => {
  // bad-engine's index.js throws on import: getting the engine error proves the order.
  t.throws(() => loader.catalog({ plugins: ['./bad-engine'] }), { code: 'VDT_ERR_PLUGIN_ENGINE_INCOMPATIBLE' })
})

t.test('module shape is checked against the manifest kind', async (t) => {
  const catalog = loader.catalog({ storage: 'memory', plugins: ['./wrong-shape'] })
  await t.rejects(loader.loadChecks(catalog), { code: 'VDT_ERR_PLUGIN_MODULE_SHAPE', message: /vedette-check-wrongshape.*defineCheck/ })
})

t.test('storage config is validated against the plugin schema', async (t) => {
  const catalog = loader.catalog({ storage: 'memory' })
  await t.rejects(loader.createStorage(catalog.storage, { bogus: true }, ctx), {
    code: 'VDT_ERR_PLUGIN_CONFIG_INVALID',
    message: /@vedette\/storage-memory.*bogus/
  })
})

t.test('a plugin whose init hangs fails with a timeout naming it', async (t) => {
  const catalog = loader.catalog({ storage: './storage-slow-init' })
  await t.rejects(loader.createStorage(catalog.storage, {}, ctx), { code: 'VDT_ERR_PLUGIN_INIT_TIMEOUT', message: /vedette-storage-slow.*200 ms/ })
})

t.test('using a check plugin as storage is a kind error', async (t) => {
  t.throws(() => loader.catalog({ storage: './check-ok' }), { code: 'VDT_ERR_PLUGIN_WRONG_KIND' })
})
