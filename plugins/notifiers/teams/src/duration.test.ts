import t from 'tap'
import { parseTimeout } from './duration.js'

t.test('timeouts are <n>ms, <n>s or <n>m', async (t) => {
  t.equal(parseTimeout('250ms'), 250)
  t.equal(parseTimeout('10s'), 10_000)
  t.equal(parseTimeout('2m'), 120_000)
  for (const bad of ['10', '0s', '1.5s', '10 s', '1h', '', 10_000, undefined, null]) t.equal(parseTimeout(bad), undefined, String(bad))
})
