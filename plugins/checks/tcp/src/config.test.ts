import { readFileSync } from 'node:fs'
import t from 'tap'
import { TCP_CHECK_DEFAULTS, compileTcpConfig, validateTcpConfig } from './index.js'
import type { TcpCheckConfig } from './index.js'

interface SchemaProperty {
  description?: string
  default?: unknown
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, SchemaProperty> }; observations: Record<string, string> }
}
const schema = pkg.vedette.configSchema

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(schema.additionalProperties, false)
  t.same(schema.required, ['host', 'port'])
  for (const [name, prop] of Object.entries(schema.properties)) {
    t.ok(typeof prop.description === 'string' && prop.description.length > 5, `${name} has a description`)
  }
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, TCP_CHECK_DEFAULTS, 'schema defaults == TCP_CHECK_DEFAULTS')
  t.same(
    Object.keys(schema.properties).sort(),
    ['host', 'port', 'send', 'expect', 'expectRegex', 'tls', 'tlsVerify', 'servername', 'maxReadBytes'].sort()
  )
  for (const name of ['connected', 'response']) t.ok(name in pkg.vedette.observations, `observation ${name} declared`)
})

t.test('defaults and normalisation', async (t) => {
  t.match(compileTcpConfig({ host: 'db.internal', port: 5432 }, []), {
    host: 'db.internal',
    port: 5432,
    send: undefined,
    expectation: undefined,
    tls: false,
    tlsVerify: true,
    servername: undefined,
    maxReadBytes: 65_536
  })
  t.equal(compileTcpConfig({ host: '[::1]', port: 22 }, [])?.host, '::1', 'URL-style IPv6 brackets dropped')
})

t.test('validate reports every problem', async (t) => {
  t.same(validateTcpConfig({ host: '127.0.0.1', port: 25, send: 'EHLO x\r\n', expect: '250' }), [])
  t.same(validateTcpConfig({ host: '', port: 70_000, maxReadBytes: 0, expect: 'a', expectRegex: 'b' } as TcpCheckConfig), [
    'host is required',
    'port must be an integer from 1 to 65535',
    'maxReadBytes must be an integer >= 1',
    'set expect or expectRegex, not both'
  ])
  t.same(validateTcpConfig(undefined as unknown as TcpCheckConfig), ['config must be an object'])
})
