import t from 'tap'
import type { AlertingInput } from './alerting-types.js'
import { ALERTING_DEFAULTS, normalizeAlerting } from './normalize-alerting.js'

const NOW = Date.parse('2025-03-01T10:00:00Z')

t.test('an empty config gets every default', async (t) => {
  t.same(normalizeAlerting({}, NOW), {
    channels: [],
    users: [],
    rules: [],
    silences: [],
    maintenance: [],
    escalationPolicies: [],
    groupWindowMs: 3000,
    delivery: { timeoutMs: 10_000, maxAttempts: 8, backoffMs: 2000, maxBackoffMs: 300_000, failuresBeforeFallback: 3 }
  })
})

t.test('delivery: alerts.delivery over the defaults, each channel over that', async (t) => {
  const out = normalizeAlerting(
    {
      channels: [
        { id: 'hook', type: 'webhook', config: { url: 'https://h.example' }, delivery: { timeout: '2s', failuresBeforeFallback: 1 }, fallback: 'mail' },
        { id: 'mail', type: 'email', config: {}, enabled: false }
      ],
      alerts: { delivery: { maxAttempts: 4, backoff: '500ms' }, groupWindow: 0 }
    },
    NOW
  )
  t.same(out.delivery, { ...ALERTING_DEFAULTS.delivery, maxAttempts: 4, backoffMs: 500 })
  t.same(out.channels[0], {
    id: 'hook',
    type: 'webhook',
    config: { url: 'https://h.example' },
    fallback: 'mail',
    delivery: { timeoutMs: 2000, maxAttempts: 4, backoffMs: 500, maxBackoffMs: 300_000, failuresBeforeFallback: 1 },
    enabled: true
  })
  t.same(out.channels[1]?.delivery, out.delivery)
  t.equal(out.channels[1]?.enabled, false)
  t.equal(out.groupWindowMs, 0, 'grouping turned off')
})

t.test("rules: common fields, defaults, and the kind's parameters apart", async (t) => {
  const input: AlertingInput = {
    alerts: {
      rules: [
        { id: 'down', kind: 'consecutive', failures: 3, monitors: { tags: ['api'], ids: [] } },
        { id: 'slow', kind: 'latency', above: 500, window: '5m', severity: 'warning', channels: ['pager'], reminderEvery: '30m', template: { title: 'slow' }, enabled: false },
        { id: 'cert', kind: 'certificate-expiry', escalation: 'own' }
      ],
      defaults: { channels: ['ops'], reminderEvery: '4h', escalation: 'day' }
    }
  }
  const [down, slow, cert] = normalizeAlerting(input, NOW).rules
  t.same(down, {
    id: 'down',
    kind: 'consecutive',
    severity: 'critical',
    selector: { tags: ['api'] },
    channels: ['ops'],
    escalation: 'day',
    reminderEveryMs: 4 * 3_600_000,
    enabled: true,
    params: { failures: 3 }
  })
  t.same(slow, {
    id: 'slow',
    kind: 'latency',
    severity: 'warning',
    selector: {},
    channels: ['pager'],
    reminderEveryMs: 1_800_000,
    template: { title: 'slow' },
    enabled: false,
    params: { above: 500, window: '5m' }
  }, 'own channels: the default escalation does not replace them')
  t.match(cert, { channels: ['ops'], escalation: 'own' })
  t.equal(normalizeAlerting({ alerts: { rules: [{ id: 'r', kind: 'k' }] } }, NOW).rules[0]?.reminderEveryMs, undefined, 'no reminders by default')
})

t.test('users: preferences default to everything; quiet-hours zone made canonical', async (t) => {
  const out = normalizeAlerting(
    {
      users: [
        { id: 'ana', name: 'Ana', contacts: ['mail', 'sms'] },
        { id: 'bo', name: 'Bo', contacts: ['mail', 'sms'], preferences: { severities: ['critical'], channels: ['sms'], quietHours: { start: '22:00', end: '07:00', timezone: 'europe/paris' } } }
      ]
    },
    NOW
  )
  t.same(out.users[0]?.preferences, { severities: ['critical', 'warning', 'info'], channels: ['mail', 'sms'] })
  t.same(out.users[1]?.preferences, { severities: ['critical'], channels: ['sms'], quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' } })
})

t.test('silences, maintenance windows and escalation policies in ms', async (t) => {
  const out = normalizeAlerting(
    {
      alerts: {
        silences: [{ id: 's', monitors: { ids: ['pg'] }, endsAt: '2025-03-01T12:00:00+01:00' }],
        maintenance: [{ id: 'm', monitors: {}, mode: 'pause', weekdays: ['mon', 'fri'], time: '23:30', duration: '2h', timezone: 'Europe/Paris' }],
        escalationPolicies: [
          { id: 'day', steps: [{ after: 0, channels: ['hook'] }, { after: '15m', users: ['ana'] }], repeat: true },
          { id: 'once', steps: [{ after: '1m', channels: ['hook'] }] }
        ]
      }
    },
    NOW
  )
  t.same(out.silences, [{ id: 's', selector: { ids: ['pg'] }, startsAt: NOW, endsAt: Date.parse('2025-03-01T11:00:00Z'), expireOnResolve: false }])
  t.same(out.maintenance[0]?.schedule, { kind: 'recurring', cron: '30 23 * * 1,5', timezone: 'Europe/Paris', durationMs: 7_200_000 })
  t.same(out.escalationPolicies, [
    { id: 'day', steps: [{ afterMs: 0, channels: ['hook'], users: [] }, { afterMs: 900_000, channels: [], users: ['ana'] }], repeat: true },
    { id: 'once', steps: [{ afterMs: 60_000, channels: ['hook'], users: [] }], repeat: false }
  ])
})

t.test('the result shares no objects with the input', async (t) => {
  const input: AlertingInput = {
    channels: [{ id: 'c', type: 'webhook', config: { headers: { a: '1' } } }],
    alerts: { rules: [{ id: 'r', kind: 'k', channels: ['c'], options: { deep: [1] } }] }
  }
  const out = normalizeAlerting(input, NOW)
  ;(out.channels[0]?.config.headers as Record<string, string>).a = 'changed'
  ;(out.rules[0]?.params.options as { deep: number[] }).deep.push(2)
  out.rules[0]?.channels.push('other')
  t.same(input.channels?.[0]?.config, { headers: { a: '1' } })
  t.same(input.alerts?.rules?.[0], { id: 'r', kind: 'k', channels: ['c'], options: { deep: [1] } })
})

t.test('malformed values throw with the field named', async (t) => {
  t.throws(() => normalizeAlerting({ alerts: { groupWindow: '3 parsecs' } }, NOW), { code: 'VDT_ERR_CONFIG_DURATION', message: /^\/alerts\/groupWindow: / })
  t.throws(() => normalizeAlerting({ alerts: { silences: [{ id: 's', monitors: {}, endsAt: 'later' }] } }, NOW), {
    name: 'TypeError',
    message: /^\/alerts\/silences\/0\/endsAt: /
  })
})
