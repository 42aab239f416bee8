import { readFileSync } from 'node:fs'
import { isCoordinationPlugin } from '@vedette/sdk'
import t from 'tap'
import plugin, { keyLayout, redactUrl, resolveConfig, type RedisCoordinationConfig } from './index.js'
import { pluginContext } from './test-support.test.util.js'

interface PropertySchema {
  default?: unknown
  description?: string
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { kind: string; configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, PropertySchema> } }
}
const schema = manifest.vedette.configSchema

t.test('the package is a coordination plugin', async (t) => {
  t.ok(isCoordinationPlugin(plugin))
  t.equal(manifest.vedette.kind, 'coordination')
})

t.test('defaults', async (t) => {
  t.strictSame(resolveConfig({ url: 'redis://127.0.0.1:6379' }), {
    url: 'redis://127.0.0.1:6379',
    safeUrl: 'redis://127.0.0.1:6379',
    prefix: 'vedette:',
    connectTimeout: 5000,
    commandTimeout: 2000
  })
  const c = resolveConfig({ url: 'rediss://cache.internal:6380/2', prefix: 'prod:', connectTimeout: 1000, commandTimeout: 250 })
  t.equal(c.prefix, 'prod:')
  t.equal(c.connectTimeout, 1000)
  t.equal(c.commandTimeout, 250)
})

t.test('bad config fails with a precise coded error', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{}, /'url' is required/],
    [{ url: '' }, /'url' is required/],
    [{ url: 'localhost:6379' }, /must start with redis:\/\/ or rediss:\/\//],
    [{ url: 'http://127.0.0.1:6379' }, /must start with redis:\/\//],
    [{ url: 'redis://127.0.0.1:6379/cache' }, /database number/],
    [{ url: 'redis://127.0.0.1', host: 'x' }, /unknown option 'host'/],
    [{ url: 'redis://127.0.0.1', prefix: '' }, /prefix must be a non-empty string/],
    [{ url: 'redis://127.0.0.1', connectTimeout: 0 }, /connectTimeout must be an integer/],
    [{ url: 'redis://127.0.0.1', commandTimeout: '2s' }, /commandTimeout must be an integer/],
    [{ url: 'redis://127.0.0.1', commandTimeout: 1.5 }, /commandTimeout must be an integer/],
    ['redis://127.0.0.1', /expected an object/],
    [undefined, /expected an object/]
  ]
  for (const [config, message] of bad) {
    t.throws(() => plugin.create(config as RedisCoordinationConfig, pluginContext()), { code: 'VDT_ERR_REDIS_INVALID_CONFIG', message }, JSON.stringify(config))
  }
})

t.test('the password never appears in errors', async (t) => {
  t.equal(redactUrl('redis://app:s3cret@cache:6379/1'), 'redis://app:***@cache:6379/1')
  t.equal(redactUrl('redis://:s3cret@cache'), 'redis://:***@cache')
  t.equal(redactUrl('redis://cache:6379'), 'redis://cache:6379')
  t.equal(resolveConfig({ url: 'redis://app:s3cret@cache:6379' }).safeUrl, 'redis://app:***@cache:6379')
  for (const url of ['http://app:s3cret@cache', 'redis://app:s3cret@cache/x', 'redis://app:s3cret@[bad']) {
    const err = t.throws(() => resolveConfig({ url }), { code: 'VDT_ERR_REDIS_INVALID_CONFIG' }, url) as Error
    t.notMatch(err.message, /s3cret/, `${url}: ${err.message}`)
  }
})

t.test('the manifest schema and the parser agree', async (t) => {
  t.equal(schema.additionalProperties, false, 'unknown keys are refused by the schema too')
  t.strictSame(schema.required, ['url'])
  const defaults = resolveConfig({ url: 'redis://127.0.0.1' }) as unknown as Record<string, unknown>
  for (const [key, prop] of Object.entries(schema.properties)) {
    t.type(prop.description, 'string', `${key} is described`)
    t.doesNotThrow(() => resolveConfig({ url: 'redis://127.0.0.1', [key]: prop.default ?? 'redis://127.0.0.1' }), `${key} is known to the parser`)
    if (prop.default !== undefined) t.equal(defaults[key], prop.default, `${key} default matches`)
  }
  t.strictSame(Object.keys(schema.properties).sort(), ['commandTimeout', 'connectTimeout', 'prefix', 'url'])
})

t.test('the key layout is the documented one', async (t) => {
  const keys = keyLayout('vedette:')
  t.equal(keys.members, 'vedette:members')
  t.equal(keys.member('node-1'), 'vedette:member:node-1')
  t.equal(keys.lease('scheduler:shard-3'), 'vedette:lease:scheduler:shard-3')
  t.equal(keys.status('acme'), 'vedette:status:acme')
  t.equal(keys.channel('config'), 'vedette:events:config')
  t.equal(keys.channelName('vedette:events:config'), 'config')
  t.equal(keys.channelName('other:events:config'), undefined)
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  for (const key of ['<prefix>members', '<prefix>member:<nodeId>', '<prefix>lease:<name>', '<prefix>status:<tenantId>', '<prefix>events:<channel>']) {
    t.ok(readme.includes(key), `README documents ${key}`)
  }
})
