import t from 'tap'
import { assertConfigRefused, assertNotifierSchema } from '@vedette/sdk/testing'
import type { RefusedConfig } from '@vedette/sdk/testing'
import { PAGERDUTY_DEFAULTS, parsePagerDutyConfig } from './index.js'

const KEY = 'R0uT1nGkEy0123456789abcdefABCDEF'

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { name: 'pagerduty', required: ['routingKey'], defaults: PAGERDUTY_DEFAULTS, secrets: ['routingKey'] })
})

t.test('defaults', async (t) => {
  const config = parsePagerDutyConfig({ routingKey: KEY })
  t.equal(config.url.href, 'https://events.pagerduty.com/v2/enqueue')
  t.same(config.severityMap, { critical: 'critical', warning: 'warning', info: 'info' })
  t.equal(config.timeoutMs, 10_000)
})

t.test('unusable configs throw VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG without echoing the key', async (t) => {
  const cases: RefusedConfig[] = [
    [{}, /routingKey is required/],
    [{ routingKey: `${KEY}\n` }, /routingKey contains whitespace/],
    [{ routingKey: KEY, url: 'nope' }, /url is not a valid URL/],
    [{ routingKey: KEY, severityMap: { warning: 'high' } }, /severityMap.warning must be one of critical, error, warning, info/],
    [{ routingKey: KEY, severityMap: { fatal: 'critical' } }, /unknown Vedette severity 'fatal'/],
    [{ routingKey: KEY, timeout: '1h' }, /timeout must be a duration/],
    [{ routingKey: KEY, serviceKey: 'x' }, /unknown option\(s\) 'serviceKey'/]
  ]
  await assertConfigRefused(t, parsePagerDutyConfig, cases, { code: 'VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG', secret: KEY })
})
