import t from 'tap'
import { defineAuth, defineCheck, defineNotifier, defineStorage, isAuthPlugin, isCheckPlugin, isNotifierPlugin, isStoragePlugin } from './index.js'
import { normalizeOutcome } from './runtime/normalize-outcome.js'

t.test('define* brand plugins by kind with registry symbols', async (t) => {
  const check = defineCheck({ run: async () => ({ status: 'up' }) })
  t.ok(isCheckPlugin(check))
  t.notOk(isStoragePlugin(check))
  t.ok(Object.isFrozen(check))
  t.equal((check as unknown as Record<symbol, unknown>)[Symbol.for('vedette.plugin.check')], true)
  t.ok(isStoragePlugin(defineStorage({ create: () => ({}) as never })))
  t.ok(isNotifierPlugin(defineNotifier({ create: () => ({ send: async () => ({ ok: true }) }) })))
  t.ok(isAuthPlugin(defineAuth({ create: () => ({ authenticate: async () => null }) })))
})

t.test('define* refuse malformed definitions with a coded error', async (t) => {
  t.throws(() => defineCheck({} as never), { code: 'VDT_ERR_SDK_INVALID_DEFINITION', message: /run/ })
  t.throws(() => defineCheck({ run: async () => ({ status: 'up' }), setup: 5 } as never), { code: 'VDT_ERR_SDK_INVALID_DEFINITION', message: /setup/ })
  t.throws(() => defineStorage({} as never), { code: 'VDT_ERR_SDK_INVALID_DEFINITION' })
})

t.test('outcomes are normalised into results the engine can trust', async (t) => {
  t.match(normalizeOutcome({ status: 'sideways' }, 1, 2), { status: 'unknown', reason: 'error', message: /invalid status/ })
  t.match(normalizeOutcome(undefined, 1, 2), { status: 'unknown', reason: 'error' })
  const r = normalizeOutcome(
    {
      status: 'degraded',
      latencyMs: -4,
      message: 'x'.repeat(5000),
      phases: { dns: 1.5, bogus: Number.NaN },
      metrics: [{ label: 'rt', value: 3 }, { label: 'bad', value: Infinity }],
      observations: { ok: true, fn: () => 1 }
    },
    1000,
    12
  )
  t.equal(r.status, 'degraded')
  t.equal(r.latencyMs, 12, 'an invalid latency is replaced by the measured one')
  t.equal(r.message?.length, 1024)
  t.same(r.phases, { dns: 1.5 })
  t.same(r.metrics, [{ label: 'rt', value: 3 }])
  t.same(r.observations, { ok: true })
  t.equal(r.startedAt, 1000)
})
