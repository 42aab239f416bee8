import { readFileSync } from 'node:fs'
import t from 'tap'
import { HTTP_CHECK_DEFAULTS, HTTP_METHODS, USER_AGENT, compileHttpConfig, validateHttpConfig } from './index.js'
import type { HttpCheckConfig } from './index.js'

interface SchemaProperty {
  description?: string
  default?: unknown
  enum?: unknown[]
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, SchemaProperty> }; observations: Record<string, string> }
}
const schema = pkg.vedette.configSchema

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(schema.additionalProperties, false)
  t.same(schema.required, ['url'])
  for (const [name, prop] of Object.entries(schema.properties)) {
    t.ok(typeof prop.description === 'string' && prop.description.length > 20, `${name} has a description`)
  }
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, HTTP_CHECK_DEFAULTS, 'schema defaults == HTTP_CHECK_DEFAULTS')
  t.same(schema.properties.method?.enum, HTTP_METHODS)
  t.same(Object.keys(schema.properties).sort(), [...Object.keys(HTTP_CHECK_DEFAULTS), 'url', 'body', 'auth', 'tls'].sort(), 'no undocumented field')
})

t.test('secrets are marked writeOnly and carry no pattern a schema error could quote', async (t) => {
  const auth = schema.properties.auth as unknown as { oneOf: { properties: Record<string, { writeOnly?: boolean; pattern?: string }> }[] }
  const tls = schema.properties.tls as unknown as { properties: Record<string, { writeOnly?: boolean; pattern?: string }> }
  const secrets = [auth.oneOf[0]?.properties.password, auth.oneOf[1]?.properties.token, tls.properties.key, tls.properties.passphrase]
  for (const secret of secrets) {
    t.equal(secret?.writeOnly, true)
    t.equal(secret?.pattern, undefined)
  }
})

t.test('defaults apply', async (t) => {
  const c = compileHttpConfig({ url: 'https://example.com/x' }, [])
  t.match(c, {
    method: 'GET',
    headers: ['user-agent', USER_AGENT],
    body: undefined,
    followRedirects: true,
    maxRedirects: 5,
    tlsVerify: true,
    maxBodyBytes: 1_048_576,
    captureHeaders: false,
    captureBody: false
  })
  t.ok(c?.expectedStatus.matches(204))
  t.notOk(c?.expectedStatus.matches(301))
})

t.test('validate reports what the schema cannot', async (t) => {
  t.same(validateHttpConfig({ url: 'http://127.0.0.1:8080/health' }), [])
  t.same(validateHttpConfig({ url: 'not a url' }), ['url "not a url" is not a valid URL'])
  t.same(validateHttpConfig({ url: 'https://user:pw@example.com/' }), ['url must not carry credentials; use auth instead'])
  t.same(
    validateHttpConfig({
      url: 'http://x/',
      headers: { 'Transfer-Encoding': 'chunked', 'bad name': 'v', 'X-Ok': 'a\r\nInjected: 1' },
      maxRedirects: -1,
      maxBodyBytes: 1.5,
      method: 'TRACE'
    } as unknown as HttpCheckConfig),
    [
      'method must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      'header transfer-encoding is managed by the check and cannot be set',
      'header name "bad name" is not a valid HTTP token',
      'header X-Ok must be a string without CR, LF or NUL',
      'maxRedirects must be an integer >= 0',
      'maxBodyBytes must be an integer >= 0'
    ]
  )
  t.same(validateHttpConfig(null as unknown as HttpCheckConfig), ['config must be an object'])
})

t.test('observations declared in the manifest', async (t) => {
  for (const name of ['statusCode', 'redirects', 'finalUrl', 'responseBytes', 'httpVersion', 'contentType']) {
    t.ok(name in pkg.vedette.observations, name)
  }
})
