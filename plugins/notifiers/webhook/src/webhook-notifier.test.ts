import { createHmac, timingSafeEqual } from 'node:crypto'
import t from 'tap'
import type { Test } from 'tap'
import { assertConfigRefused, assertNotifierSchema, closedPort, groupedFixture, httpNotifierConformance, notificationFixture, notificationReceiver, notifierChannel, notifierContext, resolvedFixture } from '@vedette/sdk/testing'
import type { RefusedConfig } from '@vedette/sdk/testing'
import webhook, { WEBHOOK_DEFAULTS, verifySignature } from './index.js'
import type { WebhookNotifierConfig } from './index.js'

const SECRET = 'whsec_3f9a1c7be04d'

const channel = (t: Test, config: WebhookNotifierConfig) => notifierChannel(t, webhook, config)

/** What a receiver does with node:crypto: HMAC over `${timestamp}.` + the exact body bytes. */
function receiverVerifies(secret: string, timestamp: string, raw: Buffer, signature: string): boolean {
  const mac = createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`), raw])).digest('hex')
  const expected = Buffer.from(`sha256=${mac}`)
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

t.test('the schema documents every field and the code defaults', async (t) => {
  assertNotifierSchema(t, new URL('../package.json', import.meta.url), { required: ['url'], defaults: WEBHOOK_DEFAULTS, secrets: ['secret'] })
})

t.test('firing: a signed POST with the documented v1 payload', async (t) => {
  const { base, requests } = await notificationReceiver(t, (_req, res) => res.writeHead(204).end())
  const instance = await channel(t, { url: `${base}/hooks/vedette`, secret: SECRET, headers: { Authorization: 'Bearer tok_81c2e6a9' } })
  const report = await instance.send(notificationFixture({ data: { tenant: 'acme' } }), new AbortController().signal)
  t.same(report, { ok: true, status: 204, message: `HTTP 204 from ${base}` })

  t.equal(requests.length, 1)
  const req = requests[0]!
  t.equal(req.method, 'POST')
  t.equal(req.path, '/hooks/vedette')
  t.equal(req.headers['content-type'], 'application/json')
  t.equal(req.headers['user-agent'], 'vedette-notifier-webhook')
  t.equal(req.headers.authorization, 'Bearer tok_81c2e6a9', 'custom header sent')
  t.equal(req.headers['idempotency-key'], 'idem-1')
  t.equal(req.headers['x-vedette-event'], 'firing')
  t.same(JSON.parse(req.body), {
    version: 1,
    event: 'firing',
    idempotencyKey: 'idem-1',
    severity: 'critical',
    title: '[critical] API health 1 is down',
    text: 'API health 1 is down: 2 consecutive failures: connect ECONNREFUSED.',
    createdAt: '2025-01-15T09:31:00.000Z',
    alerts: [
      {
        id: 'alert-1',
        dedupKey: 'rule-down:monitor-1',
        ruleId: 'rule-down',
        monitorId: 'monitor-1',
        monitorName: 'API health 1',
        severity: 'critical',
        status: 'firing',
        summary: '2 consecutive failures: connect ECONNREFUSED (monitor 1)',
        monitorStatus: 'down',
        startedAt: '2025-01-15T09:30:00.000Z',
        failedAssertions: [{ assertion: 'status in 200..299', actual: 503, expected: '200..299', severity: 'critical' }],
        url: 'https://vedette.example/api/v1/alerts/alert-1'
      }
    ],
    data: { tenant: 'acme' }
  })

  const timestamp = req.headers['x-vedette-timestamp'] as string
  const signature = req.headers['x-vedette-signature'] as string
  t.match(timestamp, /^[0-9]{10}$/, 'Unix seconds')
  t.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 300, 'timestamp is now')
  t.match(signature, /^sha256=[0-9a-f]{64}$/)
  t.ok(receiverVerifies(SECRET, timestamp, req.raw, signature), 'receiver verifies the HMAC with node:crypto')
  t.notOk(receiverVerifies('wrong-secret', timestamp, req.raw, signature), 'another secret does not verify')
  t.notOk(receiverVerifies(SECRET, String(Number(timestamp) + 1), req.raw, signature), 'the timestamp is signed')
  t.ok(verifySignature({ body: req.raw, secret: SECRET, signature, timestamp }), 'exported verifySignature agrees')
  t.notOk(verifySignature({ body: req.raw, secret: SECRET, signature, timestamp, now: Date.now() + 3_600_000 }), 'stale timestamp refused')
  t.notOk(verifySignature({ body: Buffer.concat([req.raw, Buffer.from(' ')]), secret: SECRET, signature, timestamp }), 'changed body refused')
})

t.test('resolved over PUT: event, resolvedAt and no signature without a secret', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: `${base}/in`, method: 'PUT' })
  const report = await instance.send(resolvedFixture(), new AbortController().signal)
  t.equal(report.ok, true)
  t.equal(report.status, 200)
  const req = requests[0]!
  t.equal(req.method, 'PUT')
  t.equal(req.headers['idempotency-key'], 'idem-1-resolved')
  t.equal(req.headers['x-vedette-event'], 'resolved')
  t.notOk('x-vedette-signature' in req.headers)
  t.notOk('x-vedette-timestamp' in req.headers)
  const body = JSON.parse(req.body) as { event: string; alerts: Array<Record<string, unknown>> }
  t.equal(body.event, 'resolved')
  t.match(body.alerts[0], { status: 'resolved', monitorStatus: 'up', resolvedAt: '2025-01-15T09:35:00.000Z', failedAssertions: [] })
})

t.test('grouped: one request carrying all three alerts', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base, secret: SECRET })
  const report = await instance.send(groupedFixture(3), new AbortController().signal)
  t.equal(report.ok, true)
  t.equal(requests.length, 1)
  const body = JSON.parse(requests[0]!.body) as { alerts: Array<{ monitorId: string; dedupKey: string; severity: string; url: string }> }
  t.same(body.alerts.map((a) => a.monitorId), ['monitor-1', 'monitor-2', 'monitor-3'])
  t.same(body.alerts.map((a) => a.severity), ['critical', 'warning', 'warning'])
  t.same(body.alerts.map((a) => a.dedupKey), ['rule-down:monitor-1', 'rule-down:monitor-2', 'rule-down:monitor-3'])
  const r = requests[0]!
  t.ok(receiverVerifies(SECRET, r.headers['x-vedette-timestamp'] as string, r.raw, r.headers['x-vedette-signature'] as string))
})

t.test('HTTP failures: 5xx, 408 and 429 retry; other 4xx and 3xx do not', async (t) => {
  const cases: Array<[number, string, boolean, RegExp]> = [
    [500, 'database is down', true, /^HTTP 500 from http:\/\/127\.0\.0\.1:\d+: database is down$/],
    [503, '{"message":"maintenance"}', true, /: maintenance$/],
    [408, '', true, /^HTTP 408 from http:\/\/127\.0\.0\.1:\d+$/],
    [429, 'slow down', true, /: slow down \(Retry-After: 30\)$/],
    [400, '{"error":{"code":"InvalidPayload","message":"title missing"}}', false, /: InvalidPayload: title missing$/],
    [401, 'bad token', false, /: bad token$/],
    [404, '<html><body>Not Found</body></html>', false, /^HTTP 404 from http:\/\/127\.0\.0\.1:\d+$/],
    [301, '', false, /redirects are not followed/]
  ]
  for (const [status, body, retryable, message] of cases) {
    const { base } = await notificationReceiver(t, (_req, res) => {
      if (status === 429) res.setHeader('retry-after', '30')
      if (status === 301) res.setHeader('location', '/elsewhere')
      res.writeHead(status).end(body)
    })
    const instance = await channel(t, { url: base })
    const report = await instance.send(notificationFixture(), new AbortController().signal)
    t.equal(report.ok, false, `${status} not ok`)
    t.equal(report.status, status)
    t.equal(report.retryable, retryable, `${status} retryable=${retryable}`)
    t.match(report.message, message)
  }
})

t.test('secrets never reach the report, even when the receiver echoes them', async (t) => {
  const token = 'T0KEN-in-path-9d8e7f'
  const auth = 'Bearer sk_live_5e6f7a8b9c'
  const { base } = await notificationReceiver(t, (req, res) => {
    res.writeHead(req.path.endsWith('/fail') ? 400 : 200).end(`${req.path} ${String(req.headers.authorization)} ${String(req.headers['x-vedette-signature'])} ${SECRET}`)
  })
  for (const path of [`/hooks/${token}`, `/hooks/${token}/fail`]) {
    const instance = await channel(t, { url: `${base}${path}?key=${token}`, secret: SECRET, headers: { authorization: auth } })
    const report = await instance.send(notificationFixture(), new AbortController().signal)
    const seen = JSON.stringify(report)
    for (const secret of [token, auth, SECRET, 'sk_live']) t.notOk(seen.includes(secret), `${path}: ${secret} absent`)
  }
  const refused = await channel(t, { url: `http://127.0.0.1:${await closedPort()}/hooks/${token}`, secret: SECRET })
  t.notOk(JSON.stringify(await refused.send(notificationFixture(), new AbortController().signal)).includes(token))
})

t.test('create refuses a config it cannot use, without echoing the URL', async (t) => {
  const bad: RefusedConfig[] = [
    [{}, /url is required/],
    [{ url: 'not a url/s3cret' }, /url is not a valid URL$/],
    [{ url: 'ftp://example.com/x' }, /url must be http: or https:/],
    [{ url: 'https://user:pw@example.com/x' }, /must not contain credentials/],
    [{ url: 'https://example.com', method: 'GET' }, /method must be POST or PUT/],
    [{ url: 'https://example.com', timeout: '10' }, /timeout must be a duration/],
    [{ url: 'https://example.com', timeout: 5000 }, /timeout must be a duration/],
    [{ url: 'https://example.com', headers: { 'X-Vedette-Signature': 'x' } }, /x-vedette-signature is set by the notifier/],
    [{ url: 'https://example.com', headers: { 'bad name': 'x' } }, /not a valid HTTP token/],
    [{ url: 'https://example.com', headers: { 'x-a': 'a\r\nb' } }, /without line breaks/],
    [{ url: 'https://example.com', secret: '' }, /secret must be a non-empty string/]
  ]
  await assertConfigRefused(t, (config) => webhook.create(config as WebhookNotifierConfig, notifierContext()), bad, { code: 'VDT_ERR_NOTIFIER_WEBHOOK_INVALID_CONFIG', secret: 's3cret' })
})

t.test('a test notification without alerts', async (t) => {
  const { base, requests } = await notificationReceiver(t)
  const instance = await channel(t, { url: base })
  const report = await instance.send(notificationFixture({ event: 'test', severity: 'info', title: 'Test from Vedette', text: 'It works.', alerts: [] }), new AbortController().signal)
  t.equal(report.ok, true)
  t.match(JSON.parse(requests[0]!.body), { version: 1, event: 'test', alerts: [] })
  t.equal(requests[0]!.headers['x-vedette-event'], 'test')
})

t.test('delivery: retries, no answer, refused connections, no secret in reports', (t) =>
  httpNotifierConformance(t, {
    channel: (t, base, timeout) => channel(t, { url: `${base}/hooks/T0KEN-in-path-9d8e7f`, secret: SECRET, headers: { authorization: 'Bearer sk_live_5e6f7a8b9c' }, timeout }),
    secrets: ['T0KEN-in-path-9d8e7f', SECRET, 'sk_live_5e6f7a8b9c']
  })
)
