import t from 'tap'
import { assertConfigRefused, assertNotifierSchema } from '@vedette/sdk/testing'
import type { RefusedConfig } from '@vedette/sdk/testing'
import { OPSGENIE_DEFAULTS, parseOpsgenieConfig } from './index.js'

const KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889'

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { name: 'opsgenie', required: ['apiKey'], defaults: OPSGENIE_DEFAULTS, secrets: ['apiKey'] })
})

t.test('defaults', async (t) => {
  const config = parseOpsgenieConfig({ apiKey: KEY })
  t.equal(config.base, 'https://api.opsgenie.com')
  t.same(config.priorityMap, { critical: 'P1', warning: 'P3', info: 'P5' })
  t.equal(parseOpsgenieConfig({ apiKey: KEY, url: 'https://api.eu.opsgenie.com/' }).base, 'https://api.eu.opsgenie.com')
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG without echoing the key', async (t) => {
  const cases: RefusedConfig[] = [
    [{}, /apiKey is required/],
    [{ apiKey: ` ${KEY}` }, /apiKey contains whitespace/],
    [{ apiKey: KEY, url: 'https://api.opsgenie.com/?x=1' }, /without query/],
    [{ apiKey: KEY, priorityMap: { critical: 'P0' } }, /priorityMap.critical must be one of P1, P2, P3, P4, P5, got "P0"/],
    [{ apiKey: KEY, responders: [{ type: 'user', name: 'ana' }] }, /responders\[0\] \(user\) needs exactly one of id or username/],
    [{ apiKey: KEY, responders: [{ type: 'squad', id: 'x' }] }, /responders\[0\].type must be one of/],
    [{ apiKey: KEY, tags: ['x'.repeat(51)] }, /tags must be a list/],
    [{ apiKey: KEY, timeout: 'soon' }, /timeout must be a duration/],
    [{ apiKey: KEY, region: 'eu' }, /unknown option\(s\) 'region'/]
  ]
  await assertConfigRefused(t, parseOpsgenieConfig, cases, { code: 'VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG', secret: KEY })
})
