import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { retentionConfigSchema, silentLogger, type PluginContext } from '@vedette/sdk'
import t from 'tap'
import plugin, { redactUrl, resolveConfig, type PostgresStorageConfig } from './index.js'
import { redactSecrets } from './redact-url.js'

const ctx: PluginContext = {
  name: '@vedette/storage-postgres',
  engineVersion: '0.1.0',
  dataDir: '/var/lib/vedette-test-never-created',
  resolvePath: (p) => join('/etc/vedette', p),
  logger: silentLogger
}
const PG = 'postgres://vedette:s3cr3t-pw@db.internal:5432/vedette'

interface PropertySchema {
  default?: unknown
  description?: string
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, PropertySchema> } }
}
const schema = manifest.vedette.configSchema

t.test('defaults', async (t) => {
  t.strictSame(resolveConfig({ url: PG }, ctx), {
    url: PG,
    schema: 'vedette',
    poolSize: 10,
    batchSize: 10_000,
    partitionInterval: 'day',
    partitionsAhead: 3,
    bufferLimit: 100_000,
    spillDir: '/var/lib/vedette-test-never-created/pg-spill',
    stopTimeoutMs: 10_000,
    retention: { rawMs: 7 * 86_400_000, minuteMs: 30 * 86_400_000, hourMs: 395 * 86_400_000, dayMs: 1826 * 86_400_000 }
  })
  t.equal(resolveConfig({ url: PG, spillDir: 'spill' }, ctx).spillDir, '/etc/vedette/spill', 'relative spillDir: against the config file')
  t.equal(resolveConfig({ url: PG, spillDir: '/srv/spill' }, ctx).spillDir, '/srv/spill')
  t.strictSame(resolveConfig({ url: PG, retention: { raw: '14d', minute: '60d' } }, ctx).retention, {
    rawMs: 14 * 86_400_000,
    minuteMs: 60 * 86_400_000,
    hourMs: 395 * 86_400_000,
    dayMs: 1826 * 86_400_000
  }, "retention durations in the engine's `ms` grammar")
})

t.test('bad config fails with a precise coded error that never quotes the password', async (t) => {
  const bad: [unknown, RegExp][] = [
    [undefined, /expected an object with at least `url`/],
    [{}, /url is required/],
    [{ url: 'mysql://x@y/z' }, /must start with postgres:\/\//],
    [{ url: 'postgres://user:p@ss word@' }, /url is not a valid URL/],
    [{ url: PG, schema: 'Vedette' }, /schema must be a lower-case identifier/],
    [{ url: PG, schema: 'pg_temp' }, /not pg_/],
    [{ url: PG, schema: 'a; DROP TABLE x' }, /schema must be/],
    [{ url: PG, poolSize: 0 }, /poolSize must be an integer >= 1, got 0/],
    [{ url: PG, bufferLimit: -1 }, /bufferLimit must be an integer >= 0/],
    [{ url: PG, partitionInterval: 'hour' }, /partitionInterval must be one of day, week, month, got hour/],
    [{ url: PG, partitionsAhead: 1.5 }, /partitionsAhead/],
    [{ url: PG, spillDir: '' }, /spillDir must be a non-empty string/],
    [{ url: PG, password: 'x' }, /unknown option 'password'/]
  ]
  for (const [config, message] of bad) {
    const err = (() => {
      try {
        plugin.create(config as PostgresStorageConfig, ctx)
      } catch (e) {
        return e as Error & { code: string }
      }
      return undefined
    })()
    t.match(err, { code: 'VDT_ERR_POSTGRES_INVALID_CONFIG', message }, JSON.stringify(config) ?? 'undefined')
    t.notMatch(err?.message ?? '', /s3cr3t|p@ss/, 'no password in the message')
  }
  t.throws(() => plugin.create({ url: PG, retention: { raw: '40d' } }, ctx), { code: 'VDT_ERR_STORAGE_INVALID_RETENTION', message: /minute rollups must be kept at least as long as raw/ })
  t.throws(() => plugin.create({ url: PG, retention: { raw: 'a week' } }, ctx), { code: 'VDT_ERR_STORAGE_INVALID_RETENTION' })
})

t.test('the manifest schema and the parser agree', async (t) => {
  t.equal(schema.additionalProperties, false, 'unknown keys are refused by the schema too')
  t.strictSame(schema.required, ['url'])
  const defaults = resolveConfig({ url: PG }, ctx) as unknown as Record<string, unknown>
  for (const [key, prop] of Object.entries(schema.properties)) {
    t.type(prop.description, 'string', `${key} is described`)
    if (key !== 'retention' && prop.default !== undefined) t.equal(defaults[key], prop.default, `${key} default matches`)
  }
  t.strictSame(Object.keys(schema.properties).sort(), Object.keys(defaults).sort(), 'same fields')
  t.strictSame(schema.properties.retention, retentionConfigSchema, "retention is the SDK's retention schema")
})

t.test('create() does no I/O', async (t) => {
  const dir = t.testdir({})
  // Port 1 on localhost: nothing listens, and create() must not find out.
  const store = await plugin.create({ url: 'postgres://u:pw@127.0.0.1:1/x', spillDir: join(dir, 'spill') }, { ...ctx, dataDir: dir })
  t.ok(store, 'created')
  t.notOk(existsSync(join(dir, 'spill')), 'no spill directory yet')
})

t.test('redaction', async (t) => {
  t.equal(redactUrl(PG), 'postgres://vedette:***@db.internal:5432/vedette')
  t.equal(redactUrl('postgres://db/x?sslmode=require&password=hunter2'), 'postgres://db/x?sslmode=require&password=***')
  t.equal(redactUrl('postgres://vedette@db/x'), 'postgres://vedette@db/x', 'nothing to hide')
  t.equal(redactUrl('not a url s3cr3t'), '<unparseable url>', 'an unparseable URL is not echoed')
  t.equal(redactSecrets(`failed: ${PG} said s3cr3t-pw`, PG), 'failed: postgres://vedette:***@db.internal:5432/vedette said ***')
  t.equal(redactSecrets('p%40ss in text', 'postgres://u:p%40ss@h/d'), '*** in text', 'percent-encoded form too')
})
