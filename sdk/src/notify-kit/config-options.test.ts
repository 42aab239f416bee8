import t from 'tap'
import { configOptions, credentialOption, severityMapOption, stringOption } from './config-options.js'

t.test('configOptions: an object of known options', async (t) => {
  const problems: string[] = []
  t.same(configOptions({ url: 'x' }, ['url', 'timeout'], problems), { url: 'x' })
  t.same(problems, [])
  for (const bad of [null, 'x', [1]]) t.same(configOptions(bad, ['url'], problems), {})
  configOptions({ url: 'x', webhook: 1, region: 2 }, ['url'], problems)
  t.same(problems, ['expected an object', 'expected an object', 'expected an object', "unknown option(s) 'webhook', 'region'"])
})

t.test('stringOption: absent is fine, a non-string is a problem', async (t) => {
  const problems: string[] = []
  t.equal(stringOption(undefined, 'username', problems), undefined)
  t.equal(stringOption('Vedette', 'username', problems), 'Vedette')
  t.equal(stringOption(42, 'username', problems), undefined)
  t.same(problems, ['username must be a string'])
})

t.test('credentialOption: required, a string, pasted whole, never quoted', async (t) => {
  const problems: string[] = []
  const key = 'R0uT1nGkEy0123456789'
  t.equal(credentialOption(key, 'routingKey', 'the Integration Key', problems), key)
  t.equal(credentialOption(undefined, 'routingKey', 'the Integration Key', problems), undefined)
  t.equal(credentialOption('', 'routingKey', 'the Integration Key', problems), undefined)
  t.equal(credentialOption(12, 'routingKey', 'the Integration Key', problems), undefined)
  t.equal(credentialOption(`${key}\n`, 'routingKey', 'the Integration Key', problems), undefined)
  t.same(problems, [
    'routingKey is required: the Integration Key',
    'routingKey is required: the Integration Key',
    'routingKey must be a string',
    'routingKey contains whitespace: copy it again'
  ])
  t.notOk(problems.join(' ').includes(key))
})

t.test('severityMapOption: the defaults with the configured entries', async (t) => {
  const problems: string[] = []
  const defaults = { critical: 'P1', warning: 'P3', info: 'P5' } as const
  const priorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const
  t.same(severityMapOption(undefined, 'priorityMap', defaults, priorities, problems), defaults)
  t.same(severityMapOption({ warning: 'P2' }, 'priorityMap', defaults, priorities, problems), { critical: 'P1', warning: 'P2', info: 'P5' })
  t.same(problems, [])
  severityMapOption({ fatal: 'P1', critical: 'P0' }, 'priorityMap', defaults, priorities, problems)
  severityMapOption(['P1'], 'priorityMap', defaults, priorities, problems)
  t.same(problems, [
    "priorityMap has unknown Vedette severity 'fatal' (critical, warning, info)",
    'priorityMap.critical must be one of P1, P2, P3, P4, P5, got "P0"',
    'priorityMap must be an object'
  ])
})
