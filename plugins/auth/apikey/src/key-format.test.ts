import t from 'tap'
import { formatKey, parseKey } from './key-format.js'
import { newKeyParts } from './key-format.js'

t.test('keys round-trip, including secrets that contain underscores', async (t) => {
  for (let i = 0; i < 200; i++) {
    const parts = newKeyParts()
    t.same(parseKey(formatKey(parts)), parts)
  }
  const parts = { id: '0123456789abcdef', secret: `_${'a'.repeat(40)}__` }
  t.same(parseKey(formatKey(parts)), parts)
})

t.test('anything else is not a key', async (t) => {
  const good = formatKey({ id: '0123456789abcdef', secret: 'b'.repeat(43) })
  for (const bad of ['', 'vdt_', good.toUpperCase(), ` ${good}`, `${good}x`, good.replace('vdt_', 'vdx_'), good.replace('0123', '012g'), good.slice(0, -1)]) {
    t.equal(parseKey(bad), undefined, JSON.stringify(bad))
  }
})
