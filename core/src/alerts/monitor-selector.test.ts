import t from 'tap'
import { compileSelector, matchesSelector, normalizeSelector } from './monitor-selector.js'

const api = { id: 'checkout-api', tags: ['api', 'payments'], labels: { team: 'payments', tier: '1' } }
const db = { id: 'postgres-primary', tags: ['db'] }

t.test('no selector, or an empty one, covers every monitor', async (t) => {
  for (const selector of [undefined, {}, { ids: [], tags: [], labels: {} }]) {
    t.ok(matchesSelector(selector, api), JSON.stringify(selector))
    t.ok(matchesSelector(selector, db), JSON.stringify(selector))
  }
})

t.test('ids: the monitor is one of them', async (t) => {
  t.ok(matchesSelector({ ids: ['postgres-primary', 'redis'] }, db))
  t.notOk(matchesSelector({ ids: ['postgres-replica'] }, db))
})

t.test('tags: the monitor has any of them', async (t) => {
  t.ok(matchesSelector({ tags: ['db', 'cache'] }, db))
  t.ok(matchesSelector({ tags: ['edge', 'payments'] }, api))
  t.notOk(matchesSelector({ tags: ['edge'] }, api))
})

t.test('labels: the monitor has every one of them, with the same value', async (t) => {
  t.ok(matchesSelector({ labels: { team: 'payments' } }, api))
  t.ok(matchesSelector({ labels: { team: 'payments', tier: '1' } }, api))
  t.notOk(matchesSelector({ labels: { team: 'payments', tier: '2' } }, api), 'one label differs')
  t.notOk(matchesSelector({ labels: { team: 'payments', region: 'eu' } }, api), 'one label missing')
  t.notOk(matchesSelector({ labels: { team: 'payments' } }, db), 'a monitor without labels')
  t.notOk(matchesSelector({ labels: { constructor: 'x' } }, { id: 'a', tags: [], labels: {} }), 'inherited keys are not labels')
})

t.test('criteria narrow one another', async (t) => {
  t.ok(matchesSelector({ ids: ['checkout-api'], tags: ['api'], labels: { tier: '1' } }, api))
  t.notOk(matchesSelector({ ids: ['checkout-api'], tags: ['db'] }, api), 'right id, wrong tag')
  t.notOk(matchesSelector({ tags: ['api'], labels: { team: 'search' } }, api), 'right tag, wrong label')
})

t.test('a compiled selector is reused for the same selector object', async (t) => {
  const selector = { tags: ['db'] }
  t.equal(compileSelector(selector), compileSelector(selector))
  t.ok(compileSelector(selector)(db))
})

t.test('normalizeSelector drops empty criteria and duplicates', async (t) => {
  t.same(normalizeSelector({ ids: [], tags: ['a', 'a', 'b'], labels: {} }), { tags: ['a', 'b'] })
  t.same(normalizeSelector(undefined), {})
  const input = { labels: { team: 'x' } }
  const out = normalizeSelector(input)
  t.not(out.labels, input.labels, 'a copy')
})
