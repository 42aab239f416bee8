import t from 'tap'
import { stableKey } from './stable-key.js'

t.test('a key within the limit is kept as is', async (t) => {
  t.equal(stableKey('rule-down:monitor-1', 255), 'rule-down:monitor-1')
})

t.test('a long key keeps its start, fits, and is the same every time', async (t) => {
  const key = `rule:${'m'.repeat(400)}`
  const short = stableKey(key, 255)
  t.equal(short.length, 255)
  t.ok(short.startsWith('rule:mmm'))
  t.equal(stableKey(key, 255), short)
  t.not(stableKey(`${key}x`, 255), short, 'keys that differ only past the limit stay apart')
})
