import t from 'tap'
import type { AlertRuleInput, AlertRuleKind, CheckResult, CheckStatus, MonitorStatus, StateChangeEvent } from '@vedette/sdk'
import { compileSchema } from '../../ajv.js'
import { buildConfigSchema } from '../../config/config-schema.js'
import { validateConfig } from '../../config/validate-config.js'
import {
  BUILTIN_RULE_KINDS,
  certificateExpiryRule,
  consecutiveRule,
  degradedForRule,
  flappingRule,
  heartbeatMissedRule,
  latencyRule,
  windowRule
} from './builtin-rules.js'

const NOW = Date.parse('2025-06-02T12:00:00Z')
const MIN = 60_000

function run(status: CheckStatus, agoMs: number, extra: Partial<CheckResult> = {}): CheckResult {
  return { tenantId: 'default', monitorId: 'api', startedAt: NOW - agoMs, status, latencyMs: 100, ...extra }
}

/** Runs a minute apart, newest first, from statuses written oldest → newest (`'up down down'`). */
function runs(statuses: string): CheckResult[] {
  const list = statuses.split(' ') as CheckStatus[]
  return list.map((s, i) => run(s, (list.length - 1 - i) * MIN, s === 'down' ? { message: `HTTP 503 #${i}` } : {})).reverse()
}

function flip(from: MonitorStatus, to: MonitorStatus, agoMs: number): StateChangeEvent {
  return { tenantId: 'default', monitorId: 'api', from, to, reason: 'test', at: NOW - agoMs }
}

function input(over: Partial<AlertRuleInput> = {}): AlertRuleInput {
  const recent = over.recent ?? [run('up', 0)]
  return {
    monitor: { tenantId: 'default', id: 'api', name: 'API', type: 'http', tags: ['api'] },
    result: recent[0] ?? run('up', 0),
    recent,
    transitions: [],
    status: 'up',
    statusSince: NOW - 60 * MIN,
    firing: false,
    now: NOW,
    ...over
  }
}

/** The kinds take params typed per kind; tests hand them plain objects. */
function judge(kind: AlertRuleKind<never>, params: Record<string, unknown>, over: Partial<AlertRuleInput> = {}) {
  return kind.judge(params as never, input(over))
}

const k = <P>(kind: AlertRuleKind<P>) => kind as unknown as AlertRuleKind<never>

t.test('consecutive: fires when the streak reaches the threshold, not one short', async (t) => {
  const rule = k(consecutiveRule)
  t.same(judge(rule, { threshold: 3 }, { recent: runs('up down down down') }), {
    firing: true,
    summary: '3 consecutive failed runs (threshold 3): HTTP 503 #3'
  })
  t.same(judge(rule, { threshold: 3 }, { recent: runs('down up down down') }), {
    firing: false,
    summary: '2 consecutive failed runs (threshold 3): HTTP 503 #3'
  }, 'an up run breaks the streak')
  t.equal(judge(rule, {}, { recent: runs('up down') }).firing, false, 'default threshold 2: one failure is not enough')
  t.equal(judge(rule, {}, { recent: runs('up down down') }).firing, true, 'default threshold 2')
  t.same(judge(rule, {}, { recent: runs('down up') }), { firing: false, summary: '0 consecutive failed runs (threshold 2): HTTP 503 #0' }, 'resolves on the first good run')
  t.same(consecutiveRule.history({ threshold: 5 }), { runs: 5 })
  t.same(consecutiveRule.history({}), { runs: 2 })
})

t.test('consecutive: `failing: [down, degraded]` counts degraded runs too', async (t) => {
  const rule = k(consecutiveRule)
  const recent = runs('up degraded down degraded')
  t.equal(judge(rule, { threshold: 3 }, { recent }).firing, false, 'by default degraded is not a failure')
  t.equal(judge(rule, { threshold: 3, failing: ['down', 'degraded'] }, { recent }).firing, true)
  t.equal(judge(rule, { threshold: 1, failing: ['degraded'] }, { recent: runs('down') }).firing, false, 'only the listed statuses count')
})

t.test('window by time: failures counted inside `within`, the edge excluded', async (t) => {
  const rule = k(windowRule)
  const p = { failures: 3, within: '10m' }
  const inside = [run('down', 0), run('up', 2 * MIN), run('down', 5 * MIN), run('down', 10 * MIN - 1)]
  t.same(judge(rule, p, { recent: inside }), { firing: true, summary: '3 failed runs in 10m (threshold 3)' })
  const edge = [run('down', 0), run('down', 5 * MIN), run('down', 10 * MIN)]
  t.same(judge(rule, p, { recent: edge }), { firing: false, summary: '2 failed runs in 10m (threshold 3)' }, 'a run exactly `within` ago is outside')
  t.equal(judge(rule, { ...p, failing: ['down', 'degraded'] }, { recent: [run('degraded', 0), ...edge.slice(1, 2), run('down', MIN)] }).firing, true)
  t.same(windowRule.history(p), { windowMs: 10 * MIN })
})

t.test('window by runs: k failures among the last `of` runs', async (t) => {
  const rule = k(windowRule)
  const p = { failures: 2, of: 5 }
  t.same(judge(rule, p, { recent: runs('down up up up up down') }), { firing: false, summary: '1 failed of the last 5 runs (threshold 2): HTTP 503 #5' }, 'the sixth run back is not counted')
  t.same(judge(rule, p, { recent: runs('down up up up down') }), { firing: true, summary: '2 failed of the last 5 runs (threshold 2): HTTP 503 #4' })
  t.equal(judge(rule, p, { recent: runs('down down') }).firing, true, 'fewer runs than `of` so far still count')
  t.same(windowRule.history(p), { runs: 5 })
})

t.test('latency: the percentile over the window against the threshold, after minSamples', async (t) => {
  const rule = k(latencyRule)
  const p = { above: '500ms', within: '5m' }
  const lat = (ms: number, agoMs: number, status: CheckStatus = 'up') => run(status, agoMs, { latencyMs: ms })
  t.same(judge(rule, p, { recent: [lat(900, 0), lat(950, MIN)] }), { firing: false, summary: '2 runs in 5m: too few to judge latency' }, 'default minSamples 3')
  t.same(judge(rule, p, { recent: [lat(900, 0), lat(100, MIN), lat(200, 2 * MIN)] }), { firing: true, summary: 'p95 latency 900 ms > 500 ms over 5m' })
  t.same(judge(rule, p, { recent: [lat(500, 0), lat(100, MIN), lat(200, 2 * MIN)] }), { firing: false, summary: 'p95 latency 500 ms <= 500 ms over 5m' }, 'exactly the threshold is not above it')
  t.same(judge(rule, { ...p, percentile: 50 }, { recent: [lat(900, 0), lat(100, MIN), lat(200, 2 * MIN)] }).summary, 'p50 latency 200 ms <= 500 ms over 5m')
  const old = [lat(100, 0), lat(100, MIN), lat(100, 2 * MIN), lat(5000, 5 * MIN), lat(5000, 6 * MIN)]
  t.equal(judge(rule, p, { recent: old }).firing, false, 'runs older than the window do not count')
  const unknown = [lat(900, 0, 'unknown'), lat(900, MIN, 'unknown'), lat(100, 2 * MIN), lat(100, 3 * MIN), lat(100, 4 * MIN)]
  t.equal(judge(rule, p, { recent: unknown }).firing, false, 'unknown runs (no measurement) are left out')
  t.equal(judge(rule, { ...p, minSamples: 6 }, { recent: unknown }).summary, '3 runs in 5m: too few to judge latency')
  t.equal(judge(rule, { above: 500, within: 300_000, minSamples: 1 }, { recent: [lat(501, 0)] }).firing, true, 'integer milliseconds work too')
  t.same(latencyRule.history(p), { windowMs: 5 * MIN })
})

t.test('degraded-for: fires once degraded for `for`, counted from statusSince', async (t) => {
  const rule = k(degradedForRule)
  const p = { for: '15m' }
  t.same(judge(rule, p, { status: 'degraded', statusSince: NOW - 15 * MIN }), { firing: true, summary: 'degraded for 15m (limit 15m)' })
  t.equal(judge(rule, p, { status: 'degraded', statusSince: NOW - 15 * MIN + 1000 }).firing, false, 'one second short')
  t.same(judge(rule, p, { status: 'down', statusSince: NOW - 60 * MIN }), { firing: false, summary: 'status down' }, 'down is not degraded')
  t.same(degradedForRule.history(p), { runs: 1 })
})

t.test('certificate-expiry: days left below the threshold, from daysUntilExpiry or a named observation', async (t) => {
  const rule = k(certificateExpiryRule)
  const cert = (observations: CheckResult['observations']) => ({ recent: [run('up', 0, { observations })] })
  t.same(judge(rule, { days: 14 }, cert({ daysUntilExpiry: 13.9 })), { firing: true, summary: 'certificate expires in 13 days (threshold 14)' })
  t.same(judge(rule, { days: 14 }, cert({ daysUntilExpiry: 14 })), { firing: false, summary: 'certificate expires in 14 days (threshold 14)' })
  t.same(judge(rule, { days: 14 }, cert({ status: 200 })), { firing: false, summary: 'no certificate expiry in the last run' })
  t.equal(judge(rule, { days: 7, observation: 'certDays' }, cert({ daysUntilExpiry: 90, certDays: 1 })).summary, 'certificate expires in 1 day (threshold 7)')
  t.equal(judge(rule, { days: 7, observation: 'certDays' }, cert({ daysUntilExpiry: 1 })).firing, false, 'only the named observation is read')
  t.same(certificateExpiryRule.history({ days: 1 }), { runs: 1 })
})

t.test('heartbeat-missed: late and stuck fire; failed fires unless includeFailed is false', async (t) => {
  const rule = k(heartbeatMissedRule)
  const beat = (state: string, message?: string) => ({ recent: [run(state === 'ok' ? 'up' : 'down', 0, { observations: { state }, ...(message ? { message } : {}) })] })
  t.same(judge(rule, {}, beat('late', 'missing: a success was due 2025-06-02T11:55:00Z')), { firing: true, summary: 'missing: a success was due 2025-06-02T11:55:00Z' })
  t.same(judge(rule, {}, beat('stuck')), { firing: true, summary: 'heartbeat stuck' })
  t.equal(judge(rule, {}, beat('failed')).firing, true, 'includeFailed defaults to true')
  t.equal(judge(rule, { includeFailed: true }, beat('failed')).firing, true)
  t.same(judge(rule, { includeFailed: false }, beat('failed')), { firing: false, summary: 'heartbeat failed' })
  t.equal(judge(rule, { includeFailed: false }, beat('late')).firing, true, 'includeFailed does not affect late')
  t.same(judge(rule, {}, beat('ok')), { firing: false, summary: 'heartbeat ok' })
  t.equal(judge(rule, {}, { recent: [run('up', 0)] }).summary, 'heartbeat ok', 'no state observation: not a heartbeat problem')
})

t.test('flapping: fires above `changes` flips in the window, holds while flips continue, resolves after calmAfter', async (t) => {
  const rule = k(flappingRule)
  const p = { changes: 3, within: '10m' }
  const flips = (...agoMin: number[]) => agoMin.map((m, i) => flip(i % 2 === 0 ? 'up' : 'down', i % 2 === 0 ? 'down' : 'up', m * MIN))
  t.same(judge(rule, p, { transitions: flips(1, 2, 3) }), { firing: false, summary: '3 status changes in 10m (limit 3)' }, 'exactly `changes` is allowed')
  t.same(judge(rule, p, { transitions: flips(1, 2, 3, 4) }), { firing: true, summary: '4 status changes in 10m (more than 3)' })
  t.equal(judge(rule, p, { transitions: flips(1, 2, 3, 10) }).firing, false, 'a flip exactly `within` ago is outside')
  const withPending = [flip('up', 'down', MIN), flip('down', 'up', 2 * MIN), flip('up', 'down', 3 * MIN), flip('pending', 'up', 4 * MIN), flip('up', 'maintenance', 5 * MIN)]
  t.equal(judge(rule, p, { transitions: withPending }).firing, false, 'moves to or from pending, paused and maintenance are not flips')

  // Open alert, flips slowing down: under the firing threshold but not calm yet.
  t.same(judge(rule, p, { transitions: flips(1, 8), firing: true }), { firing: true, summary: 'still flapping: 2 status changes in 10m' })
  t.same(judge(rule, p, { transitions: flips(1, 8), firing: false }), { firing: false, summary: '2 status changes in 10m (limit 3)' }, 'the same input does not open a new alert')
  t.same(judge(rule, p, { transitions: flips(10, 11), firing: true }), { firing: false, summary: 'no status change for 10m' }, 'calmAfter defaults to within')
  t.same(judge(rule, p, { transitions: [], firing: true }).firing, false)
  t.same(judge(rule, { ...p, calmAfter: '2m' }, { transitions: flips(2, 3), firing: true }), { firing: false, summary: 'no status change for 2m' })
  t.equal(judge(rule, { ...p, calmAfter: '2m' }, { transitions: flips(2, 3, 4, 5), firing: true }).firing, true, 'still more than `changes` in the window: stays open even if calm')
  t.equal(judge(rule, { ...p, calmAfter: '30m' }, { transitions: flips(12, 20), firing: true }).firing, true, 'a calmAfter longer than the window holds the alert longer')

  t.same(flappingRule.history(p), { windowMs: 10 * MIN })
  t.same(flappingRule.history({ ...p, calmAfter: '30m' }), { windowMs: 30 * MIN }, 'enough history to see the last flip for calmAfter')
  t.equal(flappingRule.quietsOthers, true)
})

t.test('flapping over time: one alert for a burst of flips, resolved once, no re-fire during the calm-down', async (t) => {
  const rule = k(flappingRule)
  const p = { changes: 3, within: '10m', calmAfter: '5m' }
  // A flip every minute from minute 0 to 9, then quiet; judged every 30 s for 30 minutes.
  const events: StateChangeEvent[] = []
  for (let m = 0; m < 10; m++) events.push({ tenantId: 'default', monitorId: 'api', from: m % 2 ? 'down' : 'up', to: m % 2 ? 'up' : 'down', reason: 't', at: m * MIN })
  let firing = false
  const changes: string[] = []
  for (let now = 0; now <= 30 * MIN; now += 30_000) {
    const transitions = events.filter((e) => e.at <= now).reverse()
    const verdict = rule.judge(p as never, { ...input(), transitions, now, firing })
    if (verdict.firing !== firing) changes.push(`${verdict.firing ? 'fire' : 'resolve'} at ${now / 1000}s`)
    firing = verdict.firing
  }
  // Fires on the 4th flip (minute 3); resolves once both calm for 5m and ≤ 3 flips in 10m: at minute 16 (flips at 7, 8, 9 remain → 3).
  t.same(changes, ['fire at 180s', 'resolve at 960s'])
})

t.test("every kind's paramsSchema compiles, accepts its documented form and refuses a bad parameter", async (t) => {
  const cases: Array<[AlertRuleKind<never>, Record<string, unknown>, Array<Record<string, unknown>>]> = [
    [k(consecutiveRule), { threshold: 3, failing: ['down', 'degraded'] }, [{ threshold: 0 }, { threshold: 2.5 }, { failing: ['up'] }, { failing: [] }]],
    [k(windowRule), { failures: 3, within: '10m' }, [{ failures: 3 }, { failures: 3, within: '10m', of: 5 }, { within: '10m' }, { failures: 0, of: 5 }]],
    [k(latencyRule), { above: '500ms', within: '5m', percentile: 99, minSamples: 5 }, [{ above: '500ms' }, { above: 'fast', within: '5m' }, { above: 500, within: '5m', percentile: 0 }, { above: 500, within: '5m', percentile: 101 }]],
    [k(degradedForRule), { for: '15m' }, [{}, { for: '-1m' }, { for: 0 }]],
    [k(certificateExpiryRule), { days: 14, observation: 'certDays' }, [{}, { days: -1 }, { days: '14' }]],
    [k(heartbeatMissedRule), { includeFailed: false }, [{ includeFailed: 'yes' }]],
    [k(flappingRule), { changes: 5, within: '10m', calmAfter: '30m' }, [{ changes: 0, within: '10m' }, { changes: 3 }, { changes: 3, within: '10m', calmAfter: 'soon' }]]
  ]
  t.equal(cases.length, BUILTIN_RULE_KINDS.length, 'every built-in kind is covered')
  for (const [kind, good, bads] of cases) {
    const validate = compileSchema(kind.paramsSchema)
    t.ok(validate(structuredClone(good)), `${kind.kind} accepts ${JSON.stringify(good)}`)
    for (const bad of [...bads, { ...good, unknownParam: 1 }]) t.notOk(validate(structuredClone(bad)), `${kind.kind} refuses ${JSON.stringify(bad)}`)
  }
})

t.test('durations the schema accepts always parse; the ones it refuses never reach judge', async (t) => {
  const validate = compileSchema(degradedForRule.paramsSchema)
  for (const value of ['500ms', '30s', '1.5m', '2h', '1d', '1w', '30 seconds', '5 minutes', 60_000]) {
    t.ok(validate({ for: value }), `${JSON.stringify(value)} accepted`)
    t.doesNotThrow(() => degradedForRule.judge({ for: value }, input({ status: 'degraded' })), `${JSON.stringify(value)} judged`)
    t.doesNotThrow(() => flappingRule.history({ changes: 1, within: value }), `${JSON.stringify(value)} sizes history`)
  }
  for (const value of ['5\tm', '5\nm', '10', '-1m', '1y', 0, 1.5]) t.notOk(validate({ for: value }), `${JSON.stringify(value)} refused`)
})

t.test('in the config document a misspelt rule parameter is an error naming it', async (t) => {
  const schema = buildConfigSchema({ checks: [], storages: [] })
  const errors = (rule: Record<string, unknown>) => validateConfig({ alerts: { rules: [{ id: 'r', ...rule }] } }, schema).map((e) => `${e.pointer}: ${e.message}`)
  t.same(errors({ kind: 'consecutive', threshold: 3 }), [])
  t.match(errors({ kind: 'consecutive', treshold: 3 }), [/^\/alerts\/rules\/0\/treshold: unknown property "treshold" \(did you mean "threshold"\?\)/])
  t.same(errors({ kind: 'window', failures: 2, within: '5 m' }), [])
  t.same(errors({ kind: 'flapping', changes: 4, within: '1w' }), [])
  t.match(errors({ kind: 'latency', above: '500 parsecs', within: '5m' }), [/^\/alerts\/rules\/0\/above: must be a duration like 30s or 5m/])
  t.match(errors({ kind: 'window', failures: 2, within: '5m', of: 3 }), [/^\/alerts\/rules\/0\/of: cannot be used together with "within"/])
})
