import { Ajv } from 'ajv'
import t from 'tap'
import { buildConfigSchema, MONITOR_ID_PATTERN } from './config-schema.js'
import type { JsonSchemaObject } from './config-schema.js'
import { fakePlugins } from './fake-plugins.test.fixture.js'
import { validateConfig } from './validate-config.js'

const monitor = (extra: Record<string, unknown>) => ({ monitors: [{ id: 'm', interval: '30s', ...extra }] })

t.test('the schema is clean JSON Schema: it compiles with ajv in strict mode', async (t) => {
  const schema = buildConfigSchema(fakePlugins)
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true })
  const validate = ajv.compile(schema)
  t.ok(validate({ monitors: [{ id: 'a', type: 'http', interval: '1m', config: { url: 'http://x' } }] }))
  t.notOk(validate({ monitors: [{ id: 'a', type: 'http', interval: '1m', config: {} }] }))
})

t.test('every core property has a description', async (t) => {
  const schema = buildConfigSchema(fakePlugins)
  const missing: string[] = []
  let checked = 0
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return
    const props = (node as { properties?: Record<string, unknown> }).properties ?? {}
    for (const [name, sub] of Object.entries(props)) {
      checked++
      if (typeof (sub as { description?: unknown }).description !== 'string') missing.push(`${path}/${name}`)
      walk(sub, `${path}/${name}`)
    }
    walk((node as { items?: unknown }).items, `${path}/items`)
  }
  walk(schema, '')
  t.ok(checked > 30, `walked the monitor properties too (${checked})`)
  for (const [name, def] of Object.entries(schema.$defs as Record<string, unknown>)) walk(def, `#/$defs/${name}`)
  t.same(missing, [])
})

t.test('lists loaded check types and storage names', async (t) => {
  type Props = { properties: Record<string, { enum?: string[]; items?: Props } & Props> }
  const { properties } = buildConfigSchema(fakePlugins) as Props
  t.same(properties.monitors?.items?.properties.type?.enum, ['http', 'tcp'])
  t.same(properties.storage?.properties.plugin?.enum, ['@vedette/storage-sqlite', 'sqlite'])
  t.equal(MONITOR_ID_PATTERN, '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$')
})

t.test('plugin schemas with their own $defs and $schema still work once embedded', async (t) => {
  const pluginSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['target'],
    properties: { target: { $ref: '#/$defs/target' } },
    $defs: { target: { type: 'string', minLength: 3 } }
  }
  const original = structuredClone(pluginSchema)
  const schema = buildConfigSchema({ checks: [{ type: 'dns', package: '@acme/check-dns', configSchema: pluginSchema }], storages: [] })
  t.same(pluginSchema, original, 'the plugin schema is not modified')
  t.same(validateConfig(monitor({ type: 'dns', config: { target: 'example.com' } }), schema), [])
  t.match(validateConfig(monitor({ type: 'dns', config: { target: 'ab' } }), schema), [
    { pointer: '/monitors/0/config/target', message: 'must be at least 3 characters long (got "ab")' }
  ])
})

t.test('a plugin without configSchema accepts any config object', async (t) => {
  const schema = buildConfigSchema({ checks: [{ type: 'push', package: '@acme/check-push' }], storages: [] })
  t.same(validateConfig(monitor({ type: 'push', config: { anything: true } }), schema), [])
  t.match(validateConfig(monitor({ type: 'push', config: 'x' }), schema), [{ pointer: '/monitors/0/config', message: /must be a map/ }])
})

t.test('a plugin schema that is not JSON Schema is blamed on its plugin', async (t) => {
  const bad = (configSchema: JsonSchemaObject) => () =>
    buildConfigSchema({ checks: [{ type: 'x', package: '@acme/check-x', configSchema }], storages: [] })
  t.throws(bad({ type: 'strnig' }), { code: 'VDT_ERR_CONFIG_PLUGIN_SCHEMA', message: /^Plugin '@acme\/check-x' declares a configSchema/ })
  t.throws(bad({ required: 'url' }), { code: 'VDT_ERR_CONFIG_PLUGIN_SCHEMA' })
  t.throws(
    () => buildConfigSchema({ checks: [], storages: [{ package: '@acme/storage-y', name: 'y', configSchema: { properties: 3 } }] }),
    { code: 'VDT_ERR_CONFIG_PLUGIN_SCHEMA', message: /@acme\/storage-y/ }
  )
})

t.test('with no check plugin loaded, any monitor type is refused', async (t) => {
  const schema = buildConfigSchema({ checks: [], storages: [] })
  t.match(validateConfig(monitor({ type: 'http', config: {} }), schema), [
    { pointer: '/monitors/0/type', message: 'has no allowed value: no loaded plugin provides one (got "http")' }
  ])
  t.same(validateConfig({ server: { port: 1 } }, schema), [])
})

t.test('a storage whose short name is its package name still builds a valid schema', async (t) => {
  const schema = buildConfigSchema({
    checks: [],
    storages: [{ package: 'vedette-storage-files', name: 'vedette-storage-files', configSchema: { type: 'object', required: ['dir'] } }]
  })
  t.match(validateConfig({ storage: { plugin: 'vedette-storage-files', config: {} } }, schema), [
    { pointer: '/storage/config/dir', message: 'is required' }
  ])
})
