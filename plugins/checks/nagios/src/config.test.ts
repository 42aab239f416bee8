import { readFileSync } from 'node:fs'
import t from 'tap'
import { assertConfigSchema } from '@vedette/sdk/testing'
import { NAGIOS_CHECK_DEFAULTS, compileNagiosConfig, validateNagiosConfig } from './index.js'
import type { NagiosCheckConfig } from './index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; isolation: string; defaultTimeout: string; configSchema: { properties: Record<string, { enum?: string[] }> }; observations: Record<string, string> }
}
const schema = pkg.vedette.configSchema

t.test('the manifest and schema document every field and the code defaults', async (t) => {
  t.match(pkg.vedette, { name: 'nagios', isolation: 'process', defaultTimeout: '10s' })
  assertConfigSchema(t, new URL('../package.json', import.meta.url), { required: ['command'], defaults: NAGIOS_CHECK_DEFAULTS })
  t.same(Object.keys(schema.properties).sort(), ['args', 'command', 'cwd', 'env', 'maxOutputBytes'])
})

t.test('command: absolute path as is, bare name in the plugin directory', async (t) => {
  t.equal(compileNagiosConfig({ command: '/opt/plugins/check_x' }, [])?.file, '/opt/plugins/check_x')
  t.equal(compileNagiosConfig({ command: 'check_http' }, [])?.file, '/usr/lib/nagios/plugins/check_http')
  for (const bad of ['../check_x', 'sub/check_x', './check_x', '-x']) {
    t.match(validateNagiosConfig({ command: bad }), [/^command must be an absolute path or a bare file name/], bad)
  }
})

t.test('environment: PATH and LC_ALL=C, then the config, nothing else of the engine', async (t) => {
  process.env.VEDETTE_TEST_SECRET = 'hunter2'
  t.teardown(() => delete process.env.VEDETTE_TEST_SECRET)
  const env = compileNagiosConfig({ command: 'check_dummy', env: { LC_ALL: 'en_US.UTF-8', FOO: 'bar' } }, [])?.env
  t.same(Object.keys(env ?? {}).sort(), ['FOO', 'LC_ALL', 'PATH'])
  t.equal(env?.LC_ALL, 'en_US.UTF-8', 'the config wins')
})

t.test('validate reports every problem', async (t) => {
  t.same(validateNagiosConfig({ command: 'check_dummy', args: ['0', 'ok'], env: { A: 'b' }, cwd: '/tmp', maxOutputBytes: 10 }), [])
  t.same(validateNagiosConfig({ command: '', args: 'x', env: { A: 1 }, cwd: 'rel', maxOutputBytes: 0 } as unknown as NagiosCheckConfig), [
    'command is required',
    'args must be an array of strings',
    'env must be an object of strings',
    'cwd must be an absolute path',
    'maxOutputBytes must be an integer >= 1'
  ])
  t.same(validateNagiosConfig(null as unknown as NagiosCheckConfig), ['config must be an object'])
})
