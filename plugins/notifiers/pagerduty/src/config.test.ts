import { readFileSync } from 'node:fs'
import t from 'tap'
import { PAGERDUTY_DEFAULTS, parsePagerDutyConfig } from './index.js'

interface SchemaProperty {
  description?: string
  default?: unknown
  writeOnly?: boolean
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, SchemaProperty> } }
}
const schema = pkg.vedette.configSchema
const KEY = 'R0uT1nGkEy0123456789abcdefABCDEF'

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(pkg.vedette.name, 'pagerduty')
  t.equal(schema.additionalProperties, false)
  t.same(schema.required, ['routingKey'])
  for (const [name, prop] of Object.entries(schema.properties)) {
    t.ok(typeof prop.description === 'string' && prop.description.length > 10, `${name} has a description`)
  }
  t.equal(schema.properties.routingKey?.writeOnly, true, 'the routing key is marked as a secret')
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, PAGERDUTY_DEFAULTS)
})

t.test('defaults', async (t) => {
  const config = parsePagerDutyConfig({ routingKey: KEY })
  t.equal(config.url.href, 'https://events.pagerduty.com/v2/enqueue')
  t.same(config.severityMap, { critical: 'critical', warning: 'warning', info: 'info' })
  t.equal(config.timeoutMs, 10_000)
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG without echoing the key', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /routingKey is required/],
    [{ routingKey: `${KEY}\n` }, /routingKey contains whitespace/],
    [{ routingKey: KEY, url: 'nope' }, /url is not a valid URL/],
    [{ routingKey: KEY, severityMap: { warning: 'high' } }, /severityMap.warning must be one of critical, error, warning, info/],
    [{ routingKey: KEY, severityMap: { fatal: 'critical' } }, /unknown Vedette severity 'fatal'/],
    [{ routingKey: KEY, timeout: '1h' }, /timeout must be a duration/],
    [{ routingKey: KEY, serviceKey: 'x' }, /unknown option\(s\) 'serviceKey'/]
  ]
  for (const [config, message] of cases) {
    const err = t.throws(() => parsePagerDutyConfig(config)) as { code?: string; message?: string }
    t.equal(err.code, 'VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG')
    t.match(err.message, message)
    t.notMatch(err.message, KEY)
  }
})
