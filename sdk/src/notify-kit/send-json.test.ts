import { request } from 'node:http'
import t from 'tap'
import type { Test } from 'tap'
import { closedPort } from '../testing/closed-port.js'
import { jsonReply, neverReply, notificationReceiver } from '../testing/notification-receiver.js'
import type { Reply } from '../testing/notification-receiver.js'
import { ANSWER_READ_LIMIT, jsonHeaders, sendJson } from './send-json.js'
import type { HttpResponseLike, JsonDispatcher, SendJsonOptions } from './send-json.js'

// The SDK has no HTTP client of its own: these tests hand sendJson a
// dispatcher made with node:http, as a notifier hands it undici's Agent.
const nodeDispatcher: JsonDispatcher = {
  request: ({ origin, path, method, headers, body, signal }) =>
    new Promise<HttpResponseLike>((resolve, reject) => {
      const req = request(new URL(path, origin), { method, headers, signal }, (res) => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res }))
      req.on('error', reject)
      req.end(body)
    })
}

const TOKEN = 'hook-token-0123456789abcdef'

function options(url: URL, overrides: Partial<SendJsonOptions> = {}): SendJsonOptions {
  return {
    url,
    payload: { text: 'API health 1 is down' },
    dispatcher: nodeDispatcher,
    headers: jsonHeaders('vedette-sdk-test'),
    signal: new AbortController().signal,
    timeout: '10s',
    timeoutMs: 10_000,
    secrets: [TOKEN],
    ...overrides
  }
}

async function hook(t: Test, reply?: Reply) {
  const rx = await notificationReceiver(t, reply)
  return { rx, url: new URL(`${rx.base}/hooks/${TOKEN}`) }
}

t.test('a 2xx is delivered; the request carries the JSON payload', async (t) => {
  const { rx, url } = await hook(t)
  t.same(await sendJson(options(url)), { ok: true, status: 200, message: `HTTP 200 from ${rx.base}` })
  const req = rx.requests[0]!
  t.equal(req.method, 'POST')
  t.same(req.json, { text: 'API health 1 is down' })
  t.equal(req.headers['content-type'], 'application/json')
  t.equal(req.headers.accept, 'application/json')
  t.equal(req.headers['user-agent'], 'vedette-sdk-test')
})

t.test('PUT, and headers made from the exact body (a signature over it)', async (t) => {
  const { rx, url } = await hook(t)
  const report = await sendJson(options(url, { method: 'PUT', headers: (body) => jsonHeaders('vedette-sdk-test', { 'x-body-length': String(body.length) }) }))
  t.equal(report.ok, true)
  t.equal(rx.requests[0]!.method, 'PUT')
  t.equal(rx.requests[0]!.headers['x-body-length'], String(rx.requests[0]!.raw.length))
  t.equal(rx.requests[0]!.path, `/hooks/${TOKEN}`, 'path and query go to the dispatcher as they are')
})

t.test('a deadline that already fired (shared by the requests of one send) is a timeout', async (t) => {
  const { rx, url } = await hook(t)
  const deadline = AbortSignal.abort()
  t.same(await sendJson(options(url, { deadline, timeout: '10s' })), { ok: false, status: 'timeout', message: `no answer from ${rx.base} within 10s`, retryable: true })
})

t.test('a failure quotes the body and never the URL path', async (t) => {
  const { rx, url } = await hook(t, (req, res) => res.writeHead(404).end(`no_service for ${req.path}`))
  t.same(await sendJson(options(url, { secrets: [url.pathname] })), {
    ok: false,
    status: 404,
    message: `HTTP 404 from ${rx.base}: no_service for [redacted]`,
    retryable: false
  })
})

t.test('read: the package words the answer, from fields already scrubbed', async (t) => {
  const { rx, url } = await hook(t, jsonReply(400, { message: `bad key ${TOKEN}`, code: 50035 }, { 'retry-after': '5' }))
  const report = await sendJson(
    options(url, {
      read: (answer) => {
        t.equal(answer.fields.message, 'bad key [redacted]', 'the package never sees the secret')
        t.notOk(answer.text.includes(TOKEN))
        return { detail: `${String(answer.fields.message)} (code ${String(answer.fields.code)})` }
      }
    })
  )
  t.same(report, { ok: false, status: 400, message: `HTTP 400 from ${rx.base}: bad key [redacted] (code 50035) (Retry-After: 5)`, retryable: false })
})

t.test('read may refuse a 2xx that is not a success', async (t) => {
  const { url } = await hook(t, (_req, res) => res.end('<html>captive portal</html>'))
  const report = await sendJson(options(url, { read: (answer) => ({ detail: answer.fields.ok === true ? '' : 'no ok: true in the answer', refused: answer.fields.ok !== true }) }))
  t.match(report, { ok: false, status: 200, retryable: false, message: /no ok: true in the answer$/ })
})

t.test('5xx, 429 and 408 are retryable', async (t) => {
  for (const status of [500, 503, 429, 408]) {
    const { url } = await hook(t, jsonReply(status, { message: 'later' }))
    t.match(await sendJson(options(url)), { ok: false, status, retryable: true, message: /: later$/ }, String(status))
  }
})

t.test('a large answer is read only up to the limit', async (t) => {
  const { url } = await hook(t, (_req, res) => res.writeHead(200).end('z'.repeat(ANSWER_READ_LIMIT * 4)))
  let seen = -1
  const report = await sendJson(options(url, { read: (answer) => ((seen = answer.text.length), { detail: '' }) }))
  t.equal(report.ok, true)
  t.equal(seen, ANSWER_READ_LIMIT)
})

t.test('the engine signal ends a hung request at once', async (t) => {
  const { rx, url } = await hook(t, neverReply)
  const controller = new AbortController()
  const pending = sendJson(options(url, { signal: controller.signal, timeoutMs: 60_000 }))
  await rx.received()
  controller.abort()
  t.same(await pending, { ok: false, status: 'aborted', message: `delivery to ${rx.base} aborted before a response arrived`, retryable: true })
})

t.test('the deadline ends a hung request', async (t) => {
  const { rx, url } = await hook(t, neverReply)
  t.same(await sendJson(options(url, { timeoutMs: 200, timeout: '200ms' })), {
    ok: false,
    status: 'timeout',
    message: `no answer from ${rx.base} within 200ms`,
    retryable: true
  })
})

t.test('an already aborted signal sends nothing', async (t) => {
  const { rx, url } = await hook(t)
  t.match(await sendJson(options(url, { signal: AbortSignal.abort() })), { ok: false, status: 'aborted', retryable: true })
  t.equal(rx.requests.length, 0)
})

t.test('connection refused is retryable and names the endpoint only', async (t) => {
  const port = await closedPort()
  const url = new URL(`http://127.0.0.1:${port}/hooks/${TOKEN}`)
  const report = await sendJson(options(url))
  t.match(report, { ok: false, status: 'ECONNREFUSED', retryable: true, message: new RegExp(`^request to http://127\\.0\\.0\\.1:${port} failed: `) })
  t.notOk(JSON.stringify(report).includes(TOKEN))
})

t.test('a payload that cannot be JSON is not sent and not retried', async (t) => {
  const { rx, url } = await hook(t)
  const report = await sendJson(options(url, { payload: { data: { count: 1n } } }))
  t.match(report, { ok: false, retryable: false, message: /^notification could not be turned into JSON: / })
  t.equal(rx.requests.length, 0)
})
