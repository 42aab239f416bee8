import { readFileSync } from 'node:fs'
import t from 'tap'
import { assertConfigSchema } from '@vedette/sdk/testing'
import { TLS_CHECK_DEFAULTS, compileTlsConfig, validateTlsConfig } from './index.js'
import type { TlsCheckConfig } from './index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; defaultTimeout: string; configSchema: { properties: Record<string, { enum?: string[] }> }; observations: Record<string, string> }
}
const schema = pkg.vedette.configSchema

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(pkg.vedette.name, 'tls')
  assertConfigSchema(t, new URL('../package.json', import.meta.url), { required: ['host'], defaults: TLS_CHECK_DEFAULTS })
  t.same(
    Object.keys(schema.properties).sort(),
    ['host', 'port', 'servername', 'starttls', 'ca', 'minDaysUntilExpiry', 'requireTrusted', 'requireHostname'].sort()
  )
  for (const name of ['daysUntilExpiry', 'certNotAfter', 'chainTrusted', 'hostnameVerified', 'chain']) t.ok(name in pkg.vedette.observations, `observation ${name} declared`)
})

t.test('defaults and normalisation', async (t) => {
  t.same(compileTlsConfig({ host: 'shop.example' }, []), {
    host: 'shop.example',
    port: 443,
    verifyName: 'shop.example',
    sni: 'shop.example',
    starttls: 'none',
    ca: undefined,
    minDaysUntilExpiry: undefined,
    requireTrusted: true,
    requireHostname: true
  })
  t.match(compileTlsConfig({ host: '[::1]', port: 8443 }, []), { host: '::1', verifyName: '::1', sni: undefined }, 'no SNI for an IP')
  t.match(compileTlsConfig({ host: '10.0.0.5', servername: 'mail.example' }, []), { verifyName: 'mail.example', sni: 'mail.example' })
})

t.test('validate reports every problem', async (t) => {
  t.same(validateTlsConfig({ host: 'mail.example', port: 25, starttls: 'smtp', minDaysUntilExpiry: 14 }), [])
  t.same(
    validateTlsConfig({ host: '', port: 0, servername: '', starttls: 'imap', ca: 'nope', minDaysUntilExpiry: -1, requireTrusted: 'yes' } as unknown as TlsCheckConfig),
    [
      'host is required',
      'port must be an integer from 1 to 65535',
      'servername must be a non-empty string',
      'starttls must be one of none, smtp',
      'ca must be PEM text with at least one -----BEGIN CERTIFICATE----- block',
      'minDaysUntilExpiry must be a number >= 0',
      'requireTrusted must be a boolean'
    ]
  )
  t.same(validateTlsConfig(null as unknown as TlsCheckConfig), ['config must be an object'])
})
