import { readFileSync } from 'node:fs'
import t from 'tap'
import { OPSGENIE_DEFAULTS, parseOpsgenieConfig } from './index.js'

interface SchemaProperty {
  description?: string
  default?: unknown
  writeOnly?: boolean
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; configSchema: { additionalProperties: boolean; required: string[]; properties: Record<string, SchemaProperty> } }
}
const schema = pkg.vedette.configSchema
const KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889'

t.test('the schema documents every field and the code defaults', async (t) => {
  t.equal(pkg.vedette.name, 'opsgenie')
  t.equal(schema.additionalProperties, false)
  t.same(schema.required, ['apiKey'])
  for (const [name, prop] of Object.entries(schema.properties)) {
    t.ok(typeof prop.description === 'string' && prop.description.length > 10, `${name} has a description`)
  }
  t.equal(schema.properties.apiKey?.writeOnly, true, 'the API key is marked as a secret')
  const documented = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k, p]) => [k, p.default]))
  t.same(documented, OPSGENIE_DEFAULTS)
})

t.test('defaults', async (t) => {
  const config = parseOpsgenieConfig({ apiKey: KEY })
  t.equal(config.base, 'https://api.opsgenie.com')
  t.same(config.priorityMap, { critical: 'P1', warning: 'P3', info: 'P5' })
  t.equal(parseOpsgenieConfig({ apiKey: KEY, url: 'https://api.eu.opsgenie.com/' }).base, 'https://api.eu.opsgenie.com')
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG without echoing the key', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /apiKey is required/],
    [{ apiKey: ` ${KEY}` }, /apiKey contains whitespace/],
    [{ apiKey: KEY, url: 'https://api.opsgenie.com/?x=1' }, /without query/],
    [{ apiKey: KEY, priorityMap: { critical: 'P0' } }, /priorityMap.critical must be one of P1-P5/],
    [{ apiKey: KEY, responders: [{ type: 'user', name: 'ana' }] }, /responders\[0\] \(user\) needs exactly one of id or username/],
    [{ apiKey: KEY, responders: [{ type: 'squad', id: 'x' }] }, /responders\[0\].type must be one of/],
    [{ apiKey: KEY, tags: ['x'.repeat(51)] }, /tags must be a list/],
    [{ apiKey: KEY, timeout: 'soon' }, /timeout must be a duration/],
    [{ apiKey: KEY, region: 'eu' }, /unknown option\(s\) 'region'/]
  ]
  for (const [config, message] of cases) {
    const err = t.throws(() => parseOpsgenieConfig(config)) as { code?: string; message?: string }
    t.equal(err.code, 'VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG')
    t.match(err.message, message)
    t.notMatch(err.message, KEY)
  }
})
