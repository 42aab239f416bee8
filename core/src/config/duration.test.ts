import t from 'tap'
import { DURATION_PATTERN, parseDuration } from './duration.js'

t.test('strings with units become milliseconds', async (t) => {
  const cases: Array<[string, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1.5s', 1_500],
    ['2 minutes', 120_000],
    ['10 secs', 10_000],
    ['0s', 0],
    ['0.4ms', 0]
  ]
  for (const [text, expected] of cases) t.equal(parseDuration(text), expected, text)
})

t.test('integers are milliseconds', async (t) => {
  t.equal(parseDuration(250), 250)
  t.equal(parseDuration(0), 0)
})

t.test('rejects what is not a plain non-negative duration', async (t) => {
  const bad: unknown[] = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '-5s', '30 parsecs', '30', '', '1y', '5 S', ' 5s', null, {}]
  for (const value of bad) {
    t.throws(
      () => parseDuration(value as string, '/monitors/0/interval'),
      { code: 'VDT_ERR_CONFIG_DURATION', statusCode: 400, message: /^\/monitors\/0\/interval: must be a duration like 30s/ },
      String(value)
    )
  }
})

t.test('the error names the field and shows the value as written', async (t) => {
  t.throws(() => parseDuration('30 parsecs', 'interval'), {
    message: 'interval: must be a duration like 30s or 5m, or an integer number of milliseconds (got "30 parsecs")'
  })
  t.throws(() => parseDuration(Number.NaN), { message: /^duration: .*\(got NaN\)$/ })
})

t.test('DURATION_PATTERN accepts exactly what parseDuration parses', async (t) => {
  const re = new RegExp(DURATION_PATTERN)
  for (const text of ['1ms', '30s', '2.5h', '3 weeks', '1 hour']) {
    t.ok(re.test(text), text)
    t.type(parseDuration(text), 'number')
  }
  for (const text of ['1y', '-1s', '1', 's']) t.notOk(re.test(text), text)
})
