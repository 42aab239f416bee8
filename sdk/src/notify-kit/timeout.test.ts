import t from 'tap'
import { TIMEOUT_PATTERN, parseTimeout, timeoutOption } from './timeout.js'

t.test('timeouts are <n>ms, <n>s or <n>m', async (t) => {
  t.equal(parseTimeout('250ms'), 250)
  t.equal(parseTimeout('10s'), 10_000)
  t.equal(parseTimeout('2m'), 120_000)
  for (const bad of ['10', '0s', '1.5s', '10 s', '1h', '-1s', '', 10_000, undefined, null]) t.equal(parseTimeout(bad), undefined, String(bad))
})

t.test('the schema pattern accepts exactly what parses (zero aside)', async (t) => {
  const re = new RegExp(TIMEOUT_PATTERN)
  for (const value of ['250ms', '10s', '2m', '10', '1h', '1.5s']) t.equal(re.test(value), parseTimeout(value) !== undefined, value)
})

t.test('timeoutOption: the fallback when absent, a problem when unusable', async (t) => {
  const problems: string[] = []
  t.same(timeoutOption(undefined, '10s', problems), { timeout: '10s', timeoutMs: 10_000 })
  t.same(timeoutOption('500ms', '10s', problems), { timeout: '500ms', timeoutMs: 500 })
  t.same(problems, [])
  t.equal(timeoutOption('1h', '30s', problems), undefined)
  t.equal(timeoutOption(5000, '10s', problems), undefined)
  t.same(problems, ['timeout must be a duration like 30s, 500ms or 1m, got "1h"', 'timeout must be a duration like 10s, 500ms or 1m, got 5000'])
})
