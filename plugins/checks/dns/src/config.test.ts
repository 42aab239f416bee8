import { readFileSync } from 'node:fs'
import t from 'tap'
import { assertConfigSchema } from '@vedette/sdk/testing'
import { DNS_CHECK_DEFAULTS, RCODES, RECORD_TYPES, compileDnsConfig, parseResolvConf, systemNameserver, validateDnsConfig } from './index.js'
import type { DnsCheckConfig } from './index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; configSchema: { properties: Record<string, { enum?: string[] }> }; observations: Record<string, string> }
}
const schema = pkg.vedette.configSchema

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(pkg.vedette.name, 'dns')
  assertConfigSchema(t, new URL('../package.json', import.meta.url), { required: ['name'], defaults: DNS_CHECK_DEFAULTS })
  t.same(schema.properties.type?.enum, RECORD_TYPES)
  t.same(schema.properties.expectRcode?.enum, RCODES)
  for (const name of ['rcode', 'answers', 'answerCount', 'ttlMin', 'server', 'transport', 'truncated']) t.ok(name in pkg.vedette.observations, `observation ${name} declared`)
})

t.test('defaults and normalisation', async (t) => {
  t.same(compileDnsConfig({ name: 'Example.com.', server: '[::1]' }, []), {
    name: 'Example.com',
    type: 'A',
    server: '::1',
    port: 53,
    transport: 'udp',
    recursion: true,
    expectRcode: 'NOERROR',
    expectAnswers: undefined
  })
  t.equal(compileDnsConfig({ name: 'example.com' }, [])?.server, systemNameserver(), 'server from resolv.conf')
})

t.test('validate reports every problem', async (t) => {
  t.same(validateDnsConfig({ name: 'example.com', type: 'MX', server: '9.9.9.9', expectAnswers: ['mx.example.com'] }), [])
  t.same(
    validateDnsConfig({ name: `${'a'.repeat(64)}.com`, type: 'PTR', server: 'dns.google', port: 0, transport: 'quic', recursion: 'yes', expectRcode: 'OK', expectAnswers: [] } as unknown as DnsCheckConfig),
    [
      'name has an empty label or one longer than 63 characters',
      'type must be one of A, AAAA, CNAME, MX, TXT, NS, SOA, SRV, CAA',
      'server must be an IP address',
      'port must be an integer from 1 to 65535',
      'transport must be udp or tcp',
      'recursion must be a boolean',
      'expectRcode must be one of NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, YXDOMAIN, YXRRSET, NXRRSET, NOTAUTH, NOTZONE',
      'expectAnswers must be a non-empty list of non-empty strings'
    ]
  )
  t.same(validateDnsConfig({ name: '' }), ['name is required'])
  t.same(validateDnsConfig(undefined as unknown as DnsCheckConfig), ['config must be an object'])
})

t.test('resolv.conf: the first nameserver, comments skipped', async (t) => {
  t.equal(parseResolvConf('# nameserver 1.1.1.1\nsearch lan\noptions ndots:2\nnameserver 10.0.0.53 # office\nnameserver 9.9.9.9\n'), '10.0.0.53')
  t.equal(parseResolvConf('nameserver\tfe80::1\n'), 'fe80::1')
  t.equal(parseResolvConf('search lan\n'), undefined)
})
