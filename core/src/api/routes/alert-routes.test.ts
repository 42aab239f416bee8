import t from 'tap'
import { alertApi, receiver, runTimes, switchable, waitFor } from './alert-api.test.util.js'

interface AlertBody {
  id: string
  status: string
  history?: Array<{ type: string; by?: string; note?: string }>
  [key: string]: unknown
}

t.test('a real alert through the API: list, get with history, acknowledge with snooze, resolve', async (t) => {
  const target = await switchable(t)
  const rx = await receiver(t)
  const { app } = await alertApi(t, {
    monitors: [
      { id: 'api', type: 'http', interval: '1h', tags: ['api'], config: { url: target.url } },
      { id: 'web', type: 'http', interval: '1h', tags: ['web'], config: { url: target.url } }
    ],
    channels: [{ id: 'ops', type: 'webhook', config: { url: `${rx.base}/hook` } }],
    alerts: {
      groupWindow: 0,
      rules: [{ id: 'api-down', kind: 'consecutive', threshold: 2, severity: 'critical', monitors: { tags: ['api'] }, channels: ['ops'] }]
    }
  })
  const list = async (query = ''): Promise<{ items: AlertBody[]; nextCursor?: string }> => (await app.inject({ url: `/api/v1/alerts${query}` })).json()

  t.same((await list()).items, [], 'no alert while everything is up')
  target.set(false)
  await runTimes(app, 'api', 2)
  await runTimes(app, 'web', 2)
  const open = await waitFor(() => list('?status=open'), (p) => p.items.length === 1, 'the alert to fire')
  const listed = open.items[0]!
  t.match(listed, { ruleId: 'api-down', monitorId: 'api', severity: 'critical', status: 'firing', dedupKey: 'api-down/api', summary: /2 consecutive failed runs/ })
  t.notOk('history' in listed, 'the listing leaves the history out')
  t.equal((await list('?monitorId=web')).items.length, 0, 'the web monitor is not covered by the rule')
  t.equal((await list('?ruleId=api-down&severity=critical&status=firing')).items.length, 1)
  t.equal((await list('?severity=warning')).items.length, 0)
  t.equal((await app.inject({ url: '/api/v1/alerts?limit=5000' })).statusCode, 400, 'limit above 1,000 is refused')
  t.equal((await app.inject({ url: '/api/v1/alerts?status=asleep' })).statusCode, 400)

  const one = await app.inject({ url: `/api/v1/alerts/${listed.id}` })
  t.equal(one.statusCode, 200)
  t.same(one.json().history.map((h: { type: string }) => h.type).slice(0, 1), ['fired'])
  await waitFor(async () => rx.hits.filter((h) => h.json?.event === 'firing').length, (n) => n === 1, 'the firing notice')

  // Snooze times: in the past, without an offset, or not a time at all are refused; nothing changes.
  const past = await app.inject({ method: 'PUT', url: `/api/v1/alerts/${listed.id}/acknowledge`, payload: { snoozeUntil: Date.now() - 60_000 } })
  t.equal(past.statusCode, 400)
  t.equal(past.json().code, 'VDT_ERR_ALERT_SNOOZE_INVALID')
  const noOffset = await app.inject({ method: 'PUT', url: `/api/v1/alerts/${listed.id}/acknowledge`, payload: { snoozeUntil: '2999-01-01T10:00:00' } })
  t.equal(noOffset.statusCode, 400, 'an ISO time without an offset is ambiguous')
  t.equal((await list('?status=firing')).items.length, 1, 'refused acknowledgements change nothing')

  const until = new Date(Date.now() + 3_600_000).toISOString()
  const acked = await app.inject({ method: 'PUT', url: `/api/v1/alerts/${listed.id}/acknowledge`, payload: { note: 'looking', snoozeUntil: until } })
  t.equal(acked.statusCode, 200, acked.body)
  t.match(acked.json(), { id: listed.id, status: 'acknowledged', ackNote: 'looking', snoozedUntil: Date.parse(until), acknowledgedBy: /anonymous/ })
  t.equal((await list('?status=acknowledged')).items.length, 1)
  t.equal((await list('?status=open')).items.length, 1, 'acknowledged is still open')
  t.equal((await list('?status=firing')).items.length, 0)
  const again = await app.inject({ method: 'PUT', url: `/api/v1/alerts/${listed.id}/acknowledge` })
  t.equal(again.statusCode, 200, 'a body is optional')
  t.notOk('snoozedUntil' in again.json(), 'acknowledging without a snooze ends the snooze')

  const resolved = await app.inject({ method: 'POST', url: `/api/v1/alerts/${listed.id}/resolve`, payload: { note: 'fixed the upstream' } })
  t.equal(resolved.statusCode, 200, resolved.body)
  t.match(resolved.json(), { status: 'resolved', resolvedBy: /anonymous/, resolvedAt: Number })
  const history = (await app.inject({ url: `/api/v1/alerts/${listed.id}` })).json().history as AlertBody['history'] & object[]
  t.same(history.map((h) => h.type), ['fired', 'notified', 'acknowledged', 'acknowledged', 'resolved'])
  t.match(history.at(-1), { by: /anonymous/, note: 'fixed the upstream' })
  t.equal((await list('?status=open')).items.length, 0)
  await waitFor(async () => rx.hits.map((h) => h.json?.event), (e) => e.includes('resolved'), 'the resolved notice')
  t.ok(rx.hits.some((h) => h.json?.event === 'acknowledged'), 'the acknowledgement was notified')

  for (const [method, url] of [['POST', 'resolve'], ['PUT', 'acknowledge']] as const) {
    const res = await app.inject({ method, url: `/api/v1/alerts/${listed.id}/${url}`, payload: {} })
    t.equal(res.statusCode, 409, `${url} a resolved alert`)
    t.equal(res.json().code, 'VDT_ERR_ALERT_RESOLVED')
  }
  for (const [method, url] of [['GET', ''], ['POST', '/resolve'], ['PUT', '/acknowledge']] as const) {
    const res = await app.inject({ method, url: `/api/v1/alerts/al_nope${url}`, ...(method === 'GET' ? {} : { payload: {} }) })
    t.equal(res.statusCode, 404, `${method} unknown alert${url}`)
    t.equal(res.json().code, 'VDT_ERR_ALERT_NOT_FOUND')
  }
})

t.test('pagination walks every alert once, newest first', async (t) => {
  const target = await switchable(t)
  const monitors = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'http', interval: '1h', config: { url: target.url } }))
  const { app } = await alertApi(t, { monitors, alerts: { rules: [{ id: 'down', kind: 'consecutive', threshold: 1, channels: [] }] } })
  target.set(false)
  for (const m of monitors) {
    await runTimes(app, m.id, 1)
    // Alert ids sort by start time to the millisecond: one at a time keeps the expected order unambiguous.
    await waitFor(async () => (await app.inject({ url: '/api/v1/alerts?limit=1000' })).json().items.length, (n) => n >= monitors.indexOf(m) + 1, `alert ${m.id}`)
    await new Promise((r) => setTimeout(r, 2))
  }
  const seen: string[] = []
  let cursor: string | undefined
  do {
    const page = (await app.inject({ url: `/api/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}` })).json()
    seen.push(...page.items.map((a: AlertBody) => a.monitorId))
    cursor = page.nextCursor
  } while (cursor !== undefined)
  t.same(seen, ['e', 'd', 'c', 'b', 'a'])
  t.equal((await app.inject({ url: '/api/v1/alerts?cursor=garbage' })).statusCode, 400)
})
