import { readFileSync } from 'node:fs'
import t from 'tap'
import { assertConfigSchema } from '@vedette/sdk/testing'
import { ICMP_CHECK_DEFAULTS, compileIcmpConfig, pingArgs, validateIcmpConfig } from './index.js'
import type { IcmpCheckConfig } from './index.js'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { name: string; isolation: string; defaultTimeout: string; observations: Record<string, string> }
}

t.test('the manifest and schema document every field and the code defaults', async (t) => {
  t.match(pkg.vedette, { name: 'icmp', isolation: 'process', defaultTimeout: '10s' })
  assertConfigSchema(t, new URL('../package.json', import.meta.url), { required: ['host'], defaults: ICMP_CHECK_DEFAULTS })
  for (const name of ['lossPercent', 'rttMin', 'rttAvg', 'rttMax', 'rttStddev', 'transmitted', 'received']) t.equal(pkg.vedette.observations[name], 'number', name)
})

t.test('defaults, brackets and the argv', async (t) => {
  const c = compileIcmpConfig({ host: '[::1]' }, [])
  t.same(c, { host: '::1', count: 3, interval: 0.2, packetSize: 56, replyTimeout: 1, maxLossPercent: 0 })
  t.same(pingArgs(c!), ['-n', '-c', '3', '-i', '0.2', '-s', '56', '-W', '1', '--', '::1'])
})

t.test('validate reports every problem', async (t) => {
  t.same(validateIcmpConfig({ host: 'db.internal', count: 10, interval: 1, packetSize: 1400, replyTimeout: 2, maxLossPercent: 20 }), [])
  t.same(validateIcmpConfig({ host: '-f', count: 0, interval: 0, packetSize: 70_000, replyTimeout: -1, maxLossPercent: 101 }), [
    'host must be a hostname or an IP address, got "-f"',
    'count must be an integer from 1 to 100',
    'interval must be a number of seconds > 0',
    'packetSize must be an integer from 0 to 65507',
    'replyTimeout must be a number of seconds > 0',
    'maxLossPercent must be a number from 0 to 100'
  ])
  t.same(validateIcmpConfig({ host: 'a b; rm -rf /' }), ['host must be a hostname or an IP address, got "a b; rm -rf /"'])
  t.same(validateIcmpConfig({} as IcmpCheckConfig), ['host is required'])
  t.same(validateIcmpConfig(null as unknown as IcmpCheckConfig), ['config must be an object'])
})
