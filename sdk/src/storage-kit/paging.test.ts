import t from 'tap'
import { decodeCursor, encodeCursor, pageLimit, timeBound, timeRange } from './paging.js'

t.test('pageLimit defaults, caps and refuses', async (t) => {
  t.equal(pageLimit(undefined), 100)
  t.equal(pageLimit({ limit: 5 }), 5)
  t.equal(pageLimit({ limit: 5000 }), 1000, 'capped, not refused')
  for (const limit of [0, -1, 1.5, Number.NaN, '10']) {
    t.throws(() => pageLimit({ limit: limit as number }), { code: 'VDT_ERR_STORAGE_INVALID_QUERY', statusCode: 400 }, String(limit))
  }
})

t.test('timeRange opens missing ends and defaults to newest first', async (t) => {
  t.same(timeRange(undefined), { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY, order: 'desc' })
  t.same(timeRange({ from: 1, to: 2, order: 'asc' }), { from: 1, to: 2, order: 'asc' })
  t.throws(() => timeRange({ order: 'up' as never }), { code: 'VDT_ERR_STORAGE_INVALID_QUERY', message: /order must be/ })
  t.throws(() => timeRange({ from: Number.NaN }), { message: /from must be epoch milliseconds/ })
  t.equal(timeBound(undefined, 'to', 7), 7)
  t.throws(() => timeBound('1', 'to', 0), { code: 'VDT_ERR_STORAGE_INVALID_QUERY' })
})

t.test('cursors round-trip and are bound to their listing', async (t) => {
  const cursor = encodeCursor('results:desc', [1700000000000, 3])
  t.match(cursor, /^[A-Za-z0-9_-]+$/)
  t.same(decodeCursor(cursor, 'results:desc', ['number', 'number']), [1700000000000, 3])
  t.same(decodeCursor(encodeCursor('monitors', ['api']), 'monitors', ['string']), ['api'])
  const invalid = { code: 'VDT_ERR_STORAGE_INVALID_CURSOR', statusCode: 400 }
  t.throws(() => decodeCursor(cursor, 'results:asc', ['number', 'number']), invalid, 'another order')
  t.throws(() => decodeCursor(cursor, 'results:desc', ['number']), invalid, 'another arity')
  t.throws(() => decodeCursor(cursor, 'results:desc', ['string', 'number']), invalid, 'another slot type')
  t.throws(() => decodeCursor('not a cursor!', 'monitors', ['string']), invalid, 'not base64url')
  t.throws(() => decodeCursor(Buffer.from('{').toString('base64url'), 'monitors', ['string']), invalid, 'not JSON')
})
