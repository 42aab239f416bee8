import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import type { PluginSchemaInfo } from './config-schema.js'
import type { ConfigError } from './config-error.js'
import { exampleYaml, fakePlugins } from './fake-plugins.test.fixture.js'
import { checkConfigText, loadConfig, loadConfigText } from './load-config.js'
import type { PluginRefs } from './plugin-refs.js'

const describe = async (): Promise<PluginSchemaInfo> => fakePlugins

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vedette-load-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

t.test('loadConfig reads, validates and normalizes a file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'vedette.yaml')
  await writeFile(file, `${exampleYaml}plugins: ['@acme/check-ftp']\n`)
  const seen: PluginRefs[] = []
  const { config, input } = await loadConfig(file, async (refs) => {
    seen.push(refs)
    return fakePlugins
  })
  t.same(seen, [{ storage: '@vedette/storage-sqlite', plugins: ['@acme/check-ftp'], checkTypes: ['http'], auth: ['@vedette/auth-apikey'] }])
  t.equal(config.dataDir, join(dir, 'data'), 'relative paths resolve against the file')
  t.match(config.monitors[0], { id: 'self-health', timeoutMs: 5_000, schedule: { kind: 'interval', everyMs: 30_000 } })
  t.match(input, { monitors: [{ interval: '30s' }] })
})

t.test('an invalid file throws VDT_ERR_CONFIG_INVALID with every error', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'vedette.yaml')
  await writeFile(file, exampleYaml.replace('interval: 30s             ', 'interval: 30 parsecs').replace("url: 'http", 'uri: \'http'))
  const err = (await loadConfig(file, describe).then(
    () => t.fail('should throw'),
    (e: unknown) => e
  )) as { code: string; statusCode: number; message: string; details: ConfigError[] }
  t.equal(err.code, 'VDT_ERR_CONFIG_INVALID')
  t.equal(err.statusCode, 400)
  t.equal(
    err.message,
    [
      `${file} is not a valid Vedette config:`,
      `${file}:7:5 /monitors/0/interval: must be a duration like 30s or 5m (got "30 parsecs")`,
      `${file}:9:5 /monitors/0/config/url: is required`,
      `${file}:9:15 /monitors/0/config/uri: unknown property "uri" (did you mean "url"?); allowed: url, method`
    ].join('\n')
  )
  t.same(
    err.details.map((e) => e.pointer),
    ['/monitors/0/interval', '/monitors/0/config/url', '/monitors/0/config/uri']
  )
})

t.test('file problems keep their own codes', async (t) => {
  const dir = await tempDir(t)
  await t.rejects(loadConfig(join(dir, 'missing.yaml'), describe), { code: 'VDT_ERR_CONFIG_NOT_FOUND' })
  const file = join(dir, 'broken.yaml')
  await writeFile(file, 'monitors:\n  - id: a\n   type: http\n')
  await t.rejects(loadConfig(file, describe), { code: 'VDT_ERR_CONFIG_SYNTAX', message: new RegExp(`^${file}:3:\\d+: invalid YAML`) })
})

t.test('errors from describePlugins pass through', async (t) => {
  const boom = Object.assign(new Error("Plugin '@acme/nope' was not found"), { code: 'VDT_ERR_PLUGIN_NOT_FOUND' })
  await t.rejects(
    loadConfigText('plugins: ["@acme/nope"]\n', 'api', () => {
      throw boom
    }),
    boom
  )
})

t.test('loadConfigText resolves against baseDir and accepts JSON', async (t) => {
  const json = JSON.stringify({ dataDir: 'state', monitors: [{ id: 'a', type: 'tcp', cron: '@hourly', config: { host: 'h', port: 1 } }] })
  const { config } = await loadConfigText(json, 'request body', () => fakePlugins, { baseDir: '/opt/vedette' })
  t.equal(config.dataDir, '/opt/vedette/state')
  t.equal(config.monitors[0]?.timeoutMs, 5_000, "the plugin's default timeout is filled in")
  await t.rejects(loadConfigText('{ "servr": 1 }', 'request body', describe), {
    code: 'VDT_ERR_CONFIG_INVALID',
    message: /^request body is not a valid Vedette config:\nrequest body:1:3 \/servr: unknown property "servr"/
  })
})

t.test('checkConfigText returns mistakes as data, syntax errors included', async (t) => {
  const ok = await checkConfigText(exampleYaml, 'vedette.yaml', describe)
  t.same(ok.errors, [])
  t.equal(ok.config?.monitors.length, 1)

  const bad = await checkConfigText('monitors: [{ id: a, type: http, interval: 1m, config: {} }]\n', 'vedette.yaml', describe)
  t.equal(bad.config, undefined)
  t.match(bad.input, { monitors: [{ id: 'a' }] })
  t.same(bad.errors, [{ pointer: '/monitors/0/config/url', line: 1, column: 47, message: 'is required', expected: 'a string' }])

  const broken = await checkConfigText('a: [1, 2\n', 'vedette.yaml', describe)
  t.equal(broken.input, undefined)
  t.match(broken.errors, [{ pointer: '', line: 2, column: 1, message: /^invalid YAML: / }])
})

t.test('the example in docs/config.md is the one tested here, and it is valid', async (t) => {
  const doc = await readFile(new URL('../../../docs/config.md', import.meta.url), 'utf8')
  const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1]
  t.equal(example, exampleYaml)
  const { config } = await loadConfigText(example ?? '', 'docs/config.md', describe)
  t.equal(config.monitors[0]?.id, 'self-health')
})
