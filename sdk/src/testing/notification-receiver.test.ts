import { request } from 'node:http'
import t from 'tap'
import { groupedFixture, notificationFixture, resolvedFixture } from './notification-fixtures.js'
import { jsonReply, notificationReceiver } from './notification-receiver.js'

function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

t.test('the receiver records each request and answers with the reply', async (t) => {
  const rx = await notificationReceiver(t, jsonReply(202, { status: 'success' }, { 'retry-after': '1' }))
  const answer = await post(`${rx.base}/v2/enqueue?x=1`, '{"event_action":"trigger"}')
  t.same(answer, { status: 202, text: '{"status":"success"}' })
  await rx.received(1)
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, '/v2/enqueue?x=1')
  t.equal(req.headers['content-type'], 'application/json')
  t.equal(req.raw.toString('utf8'), '{"event_action":"trigger"}')
  t.same(req.json, { event_action: 'trigger' })
})

t.test('the default reply is 200 ok; a body that is not JSON has no json', async (t) => {
  const rx = await notificationReceiver(t)
  t.same(await post(rx.base, 'plain'), { status: 200, text: 'ok' })
  t.equal(rx.requests[0]!.json, undefined)
  t.equal(rx.requests[0]!.body, 'plain')
})

t.test('received(n) waits for the nth request', async (t) => {
  const rx = await notificationReceiver(t)
  const third = rx.received(3)
  await Promise.all([post(rx.base, '1'), post(rx.base, '2'), post(rx.base, '3')])
  await third
  t.equal(rx.requests.length, 3)
})

t.test('fixtures: grouped alerts differ, a resolution has its own idempotency key', async (t) => {
  const group = groupedFixture(3)
  t.same(group.alerts.map((a) => a.dedupKey), ['rule-down:monitor-1', 'rule-down:monitor-2', 'rule-down:monitor-3'])
  t.same(group.alerts.map((a) => a.severity), ['critical', 'warning', 'warning'])
  t.not(resolvedFixture().idempotencyKey, notificationFixture().idempotencyKey)
  t.equal(resolvedFixture().alerts[0]!.dedupKey, notificationFixture().alerts[0]!.dedupKey, 'the same incident')
})
