import t from 'tap'
import { alertFixture } from '../testing/notification-fixtures.js'
import { alertFacts, alertName, capped, clip, describeAssertion, formatDuration } from './alert-text.js'

t.test('clip cuts with an ellipsis and never splits a surrogate pair', async (t) => {
  t.equal(clip('abcdef', 10), 'abcdef')
  t.equal(clip('abcdef', 4), 'abc…')
  t.equal(clip('ab😀cd', 4), 'ab…')
  t.equal(clip('ab😀cd', 5), 'ab😀…')
  t.equal(clip('abc', 0), '')
})

t.test('capped counts what it leaves out', async (t) => {
  t.same(capped([1, 2, 3], 2), { shown: [1, 2], more: 1 })
  t.same(capped([1], 5), { shown: [1], more: 0 })
})

t.test('describeAssertion shows expected and actual values on one line', async (t) => {
  t.equal(describeAssertion({ assertion: 'status in 200..299', expected: '200..299', actual: 503, severity: 'critical' }), 'status in 200..299 (expected 200..299, got 503)')
  t.equal(describeAssertion({ assertion: 'body contains "ok"', actual: 'not\nok', severity: 'warning' }), 'body contains "ok" (got not ok)')
  t.equal(describeAssertion({ assertion: 'tls.valid', severity: 'critical' }), 'tls.valid')
  t.equal(describeAssertion({ assertion: 'x', actual: 'y'.repeat(200), severity: 'warning' }).length, 'x (got '.length + 80 + 1)
})

t.test('formatDuration', async (t) => {
  t.equal(formatDuration(4_400), '4s')
  t.equal(formatDuration(252_000), '4m 12s')
  t.equal(formatDuration(7_500_000), '2h 5m')
  t.equal(formatDuration(3 * 86_400_000 + 3_600_000), '3d 1h')
  t.equal(formatDuration(-5), '0s')
})

t.test('alertFacts: the alert as flat strings, times in ISO 8601', async (t) => {
  t.same(alertFacts('firing', alertFixture(2)), {
    event: 'firing',
    monitorId: 'monitor-2',
    monitorName: 'API health 2',
    monitorStatus: 'down',
    severity: 'critical',
    ruleId: 'rule-down',
    alertId: 'alert-2',
    startedAt: '2025-01-15T09:30:00.000Z'
  })
})

t.test('alertName falls back to the monitor id for a blank name', async (t) => {
  t.equal(alertName(alertFixture()), 'API health 1')
  t.equal(alertName(alertFixture(1, { monitorName: '  ' })), 'monitor-1')
})
