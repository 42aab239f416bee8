import t from 'tap'
import type { DeliveryReport } from '../notifier.js'
import { DELIVER_EACH_CONCURRENCY, deliverEach } from './deliver-each.js'

const ok = (key: string): DeliveryReport => ({ ok: true, status: 202, message: `accepted ${key}` })
const label = (key: string) => key

t.test('one item: its own report', async (t) => {
  t.same(await deliverEach(['a'], async (k) => ok(k), label), ok('a'))
  const failed: DeliveryReport = { ok: false, status: 500, message: 'HTTP 500', retryable: true }
  t.same(await deliverEach(['a'], async () => failed, label), failed)
})

t.test('every item accepted: one ok report counting them', async (t) => {
  t.same(await deliverEach(['a', 'b', 'c'], async (k) => ok(k), label), { ok: true, status: 202, message: '3 events accepted; accepted a' })
})

t.test('a failure that retrying cannot fix decides the report and names its item', async (t) => {
  const report = await deliverEach(
    ['a', 'b', 'c'],
    async (k): Promise<DeliveryReport> => (k === 'b' ? { ok: false, status: 400, message: 'HTTP 400: bad', retryable: false } : ok(k)),
    label
  )
  t.same(report, { ok: false, status: 400, message: '2 of 3 events accepted; b: HTTP 400: bad', retryable: false })
})

t.test('retryable only when every failure is', async (t) => {
  const report = await deliverEach(
    ['a', 'b'],
    async (k): Promise<DeliveryReport> => (k === 'a' ? { ok: false, status: 503, message: 'busy', retryable: true } : { ok: false, status: 401, message: 'key', retryable: false }),
    label
  )
  t.match(report, { ok: false, status: 401, retryable: false, message: /^0 of 2 events accepted; b: key$/ })
})

t.test('after a failure no new item starts', async (t) => {
  const started: string[] = []
  const items = Array.from({ length: 10 }, (_, i) => `k${i}`)
  const report = await deliverEach(
    items,
    async (k): Promise<DeliveryReport> => {
      started.push(k)
      await new Promise((resolve) => setImmediate(resolve))
      return { ok: false, status: 503, message: 'unavailable', retryable: true }
    },
    label
  )
  t.equal(started.length, DELIVER_EACH_CONCURRENCY, 'only the first batch was in flight')
  t.match(report, { ok: false, status: 503, retryable: true, message: /^0 of 10 events accepted, 6 not sent; k0: unavailable$/ })
})
