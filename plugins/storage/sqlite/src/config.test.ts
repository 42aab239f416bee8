import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_RETENTION_POLICY, retentionConfigSchema, silentLogger, type PluginContext } from '@vedette/sdk'
import t from 'tap'
import plugin, { resolveConfig, type SqliteStorageConfig } from './index.js'

const ctx: PluginContext = {
  name: '@vedette/storage-sqlite',
  engineVersion: '0.1.0',
  dataDir: '/var/lib/vedette-test-never-created',
  resolvePath: (p) => join('/etc/vedette', p),
  logger: silentLogger
}

interface PropertySchema {
  default?: unknown
  description?: string
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { configSchema: { additionalProperties: boolean; properties: Record<string, PropertySchema> } }
}
const schema = manifest.vedette.configSchema

t.test('defaults and path resolution', async (t) => {
  t.strictSame(resolveConfig({}, ctx), {
    path: '/var/lib/vedette-test-never-created/vedette.db',
    busyTimeoutMs: 5000,
    synchronous: 'normal',
    retention: DEFAULT_RETENTION_POLICY
  })
  t.equal(resolveConfig(undefined, ctx).path, '/var/lib/vedette-test-never-created/vedette.db', 'no config block')
  t.equal(resolveConfig({ path: 'data/v.db' }, ctx).path, '/etc/vedette/data/v.db', 'relative to the config file')
  t.equal(resolveConfig({ path: '/srv/v.db' }, ctx).path, '/srv/v.db', 'absolute kept')
  t.equal(resolveConfig({ path: ':memory:' }, ctx).path, ':memory:', ':memory: kept')
  t.strictSame(resolveConfig({ busyTimeoutMs: 0, synchronous: 'full', retention: { raw: '14d', day: '3650d' } }, ctx), {
    path: '/var/lib/vedette-test-never-created/vedette.db',
    busyTimeoutMs: 0,
    synchronous: 'full',
    retention: { ...DEFAULT_RETENTION_POLICY, rawMs: 14 * 86_400_000, dayMs: 3650 * 86_400_000 }
  })
})

t.test('bad config fails with a precise coded error', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ file: 'x.db' }, /unknown option 'file'/],
    [{ path: '' }, /path must be a non-empty string/],
    [{ path: 42 }, /path must be a non-empty string/],
    [{ busyTimeoutMs: -1 }, /busyTimeoutMs must be an integer >= 0, got -1/],
    [{ busyTimeoutMs: '5s' }, /busyTimeoutMs/],
    [{ synchronous: 'off' }, /synchronous must be 'normal' or 'full', got off/],
    ['vedette.db', /expected an object/]
  ]
  for (const [config, message] of bad) {
    t.throws(() => plugin.create(config as SqliteStorageConfig, ctx), { code: 'VDT_ERR_SQLITE_INVALID_CONFIG', message }, JSON.stringify(config))
  }
  t.throws(() => plugin.create({ retention: { raw: '2 fortnights' } } as SqliteStorageConfig, ctx), {
    code: 'VDT_ERR_STORAGE_INVALID_RETENTION',
    message: /retention\.raw must be a positive duration/
  })
  t.throws(() => plugin.create({ retention: { hour: '10d' } }, ctx), { code: 'VDT_ERR_STORAGE_INVALID_RETENTION', message: /hour rollups must be kept at least as long as minute/ })
})

t.test('the manifest schema and the parser agree', async (t) => {
  t.equal(schema.additionalProperties, false, 'unknown keys are refused by the schema too')
  const defaults = resolveConfig({}, ctx) as unknown as Record<string, unknown>
  t.strictSame(schema.properties.retention, retentionConfigSchema, "retention: the SDK's schema, copied")
  t.strictSame(defaults.retention, DEFAULT_RETENTION_POLICY, 'retention defaults')
  for (const [key, prop] of Object.entries(schema.properties)) {
    t.type(prop.description, 'string', `${key} is described`)
    if (key === 'retention') continue
    t.doesNotThrow(() => resolveConfig({ [key]: prop.default ?? ':memory:' }, ctx), `${key} is known to the parser`)
    if (prop.default !== undefined) t.equal(defaults[key], prop.default, `${key} default matches`)
  }
  t.strictSame(Object.keys(schema.properties).sort(), Object.keys(defaults).sort(), 'same fields')
})

t.test('create() touches no file; start() creates the directory', async (t) => {
  const dir = t.testdir({})
  const path = join(dir, 'nested', 'deeper', 'vedette.db')
  const store = await plugin.create({ path }, ctx)
  t.notOk(existsSync(join(dir, 'nested')), 'nothing created by create()')
  await store.start()
  t.ok(existsSync(path), 'database file created by start()')
  await store.stop()
})
