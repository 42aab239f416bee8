import { Ajv } from 'ajv'
import t from 'tap'
import { withFormats } from '../ajv-formats.js'
import { buildConfigSchema } from '../config/config-schema.js'
import type { JsonSchemaObject } from '../config/config-schema.js'
import { humanizeAjvErrors } from '../config/humanize-errors.js'
import { alertingProblems, alertingSchemas } from './alerting-schema.js'
import type { AlertingInput } from './alerting-types.js'

const kinds = [
  {
    kind: 'consecutive',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['failures'],
      properties: { failures: { description: 'Failed runs in a row.', type: 'integer', minimum: 1 } }
    }
  },
  {
    kind: 'latency',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { above: { description: 'Threshold.', $ref: '#/$defs/ms' }, window: { description: 'Over this long.', type: 'string' } },
      $defs: { ms: { description: 'Milliseconds.', type: 'integer', minimum: 1 } }
    }
  },
  { kind: 'open', schema: true }
]
const webhookSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: { url: { description: 'Where to POST.', type: 'string', format: 'uri' } }
}

function validator(): (doc: unknown) => string[] {
  const root: JsonSchemaObject = {
    type: 'object',
    additionalProperties: false,
    properties: alertingSchemas(kinds, [{ type: 'webhook', package: '@vedette/notifier-webhook', configSchema: webhookSchema }, 'email']),
    // The duration definition the config document schema carries.
    $defs: { duration: (buildConfigSchema({ checks: [], storages: [] }).$defs as Record<string, unknown>).duration }
  }
  const validate = withFormats(new Ajv({ allErrors: true, verbose: true, strict: false })).compile(root)
  return (doc) => (validate(doc) ? [] : humanizeAjvErrors(validate.errors ?? [], root).map((e) => `${e.pointer}: ${e.message}`))
}

const valid: AlertingInput = {
  channels: [
    { id: 'ops-hook', type: 'webhook', config: { url: 'https://hooks.example/ops' }, fallback: 'ops-mail', delivery: { timeout: '5s', maxAttempts: 3 } },
    { id: 'ops-mail', type: '@vedette/notifier-webhook', config: { url: 'https://hooks.example/mail' }, template: { title: '{{monitor.name}} is {{alert.status}}' } }
  ],
  users: [{ id: 'ana', name: 'Ana', contacts: ['ops-mail'], preferences: { severities: ['critical'], quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' } } }],
  alerts: {
    rules: [
      { id: 'down', kind: 'consecutive', failures: 3, severity: 'critical', monitors: { tags: ['api'] }, channels: ['ops-hook'], reminderEvery: '1h' },
      { id: 'slow', kind: 'latency', above: 500, window: '5m', escalation: 'day', enabled: false },
      { id: 'anything', kind: 'open', whatever: { nested: true } }
    ],
    silences: [{ id: 's1', monitors: {}, startsAt: '2025-06-01T22:00:00Z', endsAt: 1748818800000, expireOnResolve: true }],
    maintenance: [
      { id: 'patch', monitors: { labels: { team: 'db' } }, mode: 'pause', weekdays: ['sat'], time: '23:00', duration: '3h', timezone: 'America/New_York' },
      { id: 'move', monitors: { ids: ['pg'] }, mode: 'suppress', startsAt: '2025-06-01T22:00:00+02:00', endsAt: '2025-06-02T02:00:00+02:00' }
    ],
    escalationPolicies: [{ id: 'day', steps: [{ after: 0, channels: ['ops-hook'] }, { after: '15m', users: ['ana'] }], repeat: 2 }],
    defaults: { channels: ['ops-hook'], reminderEvery: '4h' },
    groupWindow: '3s',
    delivery: { backoff: '1s', maxBackoff: '1m', failuresBeforeFallback: 2 }
  }
}

t.test('a complete alerting config is valid', async (t) => {
  t.same(validator()(valid), [])
  t.same(alertingProblems(valid, new Set(['pg', 'api'])), [])
})

t.test("a rule's parameters are checked against its kind's schema", async (t) => {
  const check = validator()
  const rules = (r: Record<string, unknown>) => check({ alerts: { rules: [{ id: 'r', ...r }] } })
  t.same(rules({ kind: 'consecutive', failures: 0 }), ['/alerts/rules/0/failures: must be at least 1 (got 0)'])
  t.same(rules({ kind: 'consecutive' }), ['/alerts/rules/0/failures: is required'])
  t.match(rules({ kind: 'consecutive', failures: 2, threshold: 5 }), [/^\/alerts\/rules\/0.*threshold/], 'closed kind: unknown field refused')
  t.same(rules({ kind: 'latency', above: 0 }), ['/alerts/rules/0/above: must be at least 1 (got 0)'], "the kind's own $refs resolve")
  t.same(rules({ kind: 'open', anything: 1, severity: 'warning' }), [], 'a kind taking any parameters')
  t.match(rules({ kind: 'nope' }), [/^\/alerts\/rules\/0\/kind: must be one of/])
  t.match(rules({ kind: 'open', severity: 'fatal' }), [/^\/alerts\/rules\/0\/severity: must be one of/])
  t.match(rules({ kind: 'open', reminderEvery: '1 fortnight' }), [/^\/alerts\/rules\/0\/reminderEvery: must be a duration/])
})

t.test('channels, users, silences and windows are closed and typed', async (t) => {
  const check = validator()
  t.match(check({ channels: [{ id: 'c', type: 'pager', config: {} }] }), [/^\/channels\/0\/type: must be one of/])
  t.match(check({ channels: [{ id: 'c', type: 'webhook', config: { url: 'not a url' } }] }), [/^\/channels\/0\/config\/url: /], "the notifier's schema applies")
  t.same(check({ channels: [{ id: 'c', type: 'email', config: { anything: 1 } }] }), [], 'a notifier without a schema takes any config')
  t.match(check({ channels: [{ id: 'c', type: 'email', config: {}, colour: 'red' }] }), [/^\/channels\/0.*colour/])
  t.match(check({ users: [{ id: 'u', name: 'U', contacts: ['c'], preferences: { quietHours: { start: '22h', end: '07:00' } } }] }), [/^\/users\/0\/preferences\/quietHours\/start: /])
  t.match(check({ alerts: { silences: [{ id: 's', monitors: {}, endsAt: '2025-06-01 22:00' }] } }), [/^\/alerts\/silences\/0\/endsAt: /], 'no offset')
  t.match(check({ alerts: { maintenance: [{ id: 'm', monitors: {}, mode: 'suppress', weekdays: ['saturday'], time: '23:00', duration: '1h' }] } }), [
    /^\/alerts\/maintenance\/0\/weekdays\/0: must be one of/
  ])
  t.match(check({ alerts: { rules: [{ id: 'r', kind: 'open', monitors: { ids: [] } }] } }), [/^\/alerts\/rules\/0\/monitors\/ids: /], 'an empty id list is refused')
})

t.test('the schemas are valid JSON Schema, with or without plugins loaded', async (t) => {
  const ajv = new Ajv({ strict: false })
  for (const [label, schemas] of [
    ['loaded', alertingSchemas(kinds, ['email'])],
    ['nothing loaded', alertingSchemas([], [])]
  ] as const) {
    for (const [key, schema] of Object.entries(schemas)) {
      t.ok(ajv.validateSchema({ ...schema, $defs: { duration: true } }), `${label}: ${key}`)
    }
  }
})

t.test('every property has a description', async (t) => {
  const missing: string[] = []
  const walk = (schema: unknown, path: string): void => {
    if (Array.isArray(schema)) return schema.forEach((s, i) => walk(s, `${path}/${i}`))
    if (schema === null || typeof schema !== 'object') return
    for (const [key, value] of Object.entries(schema)) {
      // `then` branches name the allowed keys with `true`; the descriptions are on the rule itself.
      if (key === 'properties' && value !== null && typeof value === 'object') {
        for (const [name, sub] of Object.entries(value)) {
          if (sub !== true && typeof (sub as { description?: unknown }).description !== 'string') missing.push(`${path}/properties/${name}`)
        }
      }
      if (key !== 'if') walk(value, `${path}/${key}`)
    }
  }
  walk(alertingSchemas(kinds, ['email']), '')
  t.same(missing, [])
})

t.test('alertingProblems: duplicates and unknown references', async (t) => {
  const input: AlertingInput = {
    channels: [
      { id: 'a', type: 'email', config: {}, fallback: 'a' },
      { id: 'a', type: 'email', config: {} },
      { id: 'b', type: 'email', config: {}, fallback: 'ghost' }
    ],
    users: [{ id: 'u', name: 'U', contacts: ['a', 'nope'], preferences: { channels: ['b'], quietHours: { start: '22:00', end: '22:00', timezone: 'Mars/Base' } } }],
    alerts: {
      rules: [{ id: 'r', kind: 'consecutive', channels: ['a', 'zzz'], escalation: 'missing', monitors: { ids: ['api', 'gone'] }, reminderEvery: 0 }],
      escalationPolicies: [{ id: 'p', steps: [{ after: '10m', users: ['who'] }, { after: '5m' }], repeat: true }],
      silences: [{ id: 's', monitors: { ids: ['gone'] }, startsAt: 10, endsAt: 5 }],
      maintenance: [{ id: 'm', monitors: {}, mode: 'pause', cron: '0 2 * * *' }],
      defaults: { channels: ['c'], escalation: 'none' }
    }
  }
  t.same(
    alertingProblems(input, new Set(['api'])).map((e) => `${e.pointer}: ${e.message}`),
    [
      '/channels/1/id: duplicate channel id "a" (already used by /channels/0)',
      '/channels/0/fallback: must name another channel, not this one',
      '/channels/2/fallback: no channel has the id "ghost"',
      '/users/0/contacts/1: no channel has the id "nope"',
      '/users/0/preferences/channels/0: "b" is not one of this user\'s contacts',
      '/users/0/preferences/quietHours/timezone: must be an IANA time zone like Europe/Paris or UTC (got "Mars/Base")',
      '/users/0/preferences/quietHours/end: must differ from start (equal times would make the quiet hours empty)',
      '/alerts/rules/0/channels/1: no channel has the id "zzz"',
      '/alerts/rules/0/escalation: no escalation policy has the id "missing"',
      '/alerts/rules/0/monitors/ids/1: no monitor has the id "gone"',
      '/alerts/rules/0/reminderEvery: must be greater than 0',
      '/alerts/defaults/channels/0: no channel has the id "c"',
      '/alerts/defaults/escalation: no escalation policy has the id "none"',
      '/alerts/escalationPolicies/0/steps/0/users/0: no user has the id "who"',
      '/alerts/escalationPolicies/0/steps/1: must notify someone: give channels or users',
      "/alerts/escalationPolicies/0/steps/1/after: must not be earlier than the previous step's after (steps count from when the alert fired)",
      '/alerts/silences/0/endsAt: must be after startsAt',
      '/alerts/silences/0/monitors/ids/0: no monitor has the id "gone"',
      '/alerts/maintenance/0/duration: is required with cron'
    ]
  )
})

t.test('alertingProblems: fallback loops and repeats without pause', async (t) => {
  const input: AlertingInput = {
    channels: [
      { id: 'x', type: 'email', config: {}, fallback: 'y' },
      { id: 'y', type: 'email', config: {}, fallback: 'z' },
      { id: 'z', type: 'email', config: {}, fallback: 'x' }
    ],
    alerts: { escalationPolicies: [{ id: 'p', steps: [{ after: 0, channels: ['x'] }], repeat: 3 }] }
  }
  t.same(alertingProblems(input, new Set()).map((e) => `${e.pointer}: ${e.message}`), [
    "/alerts/escalationPolicies/0/repeat: needs the last step's after to be greater than 0, or the steps would repeat without pause",
    '/channels/0/fallback: fallback loop: "x" → "y" → "z" → "x"'
  ])
})

t.test('alertingProblems skips what the schema reports', async (t) => {
  const junk = { channels: 'nope', users: [null, 3], alerts: { rules: [{ channels: 'x' }], silences: [{ endsAt: {} }] } }
  t.same(alertingProblems(junk as unknown as AlertingInput, new Set()), [])
  t.same(alertingProblems(undefined as unknown as AlertingInput, new Set()), [])
})
