import t from 'tap'
import { MAX_REPORT_MESSAGE, describeBody, isRetryableStatus, jsonObject, reportForNoAnswer, reportForStatus } from './delivery-report.js'

const endpoint = 'https://hooks.example'

t.test('408, 429 and 5xx are retryable; other statuses are not', async (t) => {
  for (const status of [408, 429, 500, 502, 503]) t.equal(isRetryableStatus(status), true, String(status))
  for (const status of [301, 400, 401, 403, 404, 410, 422]) t.equal(isRetryableStatus(status), false, String(status))
})

t.test('a 2xx is delivered, with the detail when there is one', async (t) => {
  t.same(reportForStatus({ status: 204, endpoint }), { ok: true, status: 204, message: 'HTTP 204 from https://hooks.example' })
  t.same(reportForStatus({ status: 200, endpoint, detail: 'posted message 42' }), { ok: true, status: 200, message: 'HTTP 200 from https://hooks.example: posted message 42' })
})

t.test('a failed answer quotes the detail and Retry-After', async (t) => {
  t.same(reportForStatus({ status: 429, endpoint, detail: 'slow down', retryAfter: '30' }), {
    ok: false,
    status: 429,
    message: 'HTTP 429 from https://hooks.example: slow down (Retry-After: 30)',
    retryable: true
  })
  t.same(reportForStatus({ status: 404, endpoint, detail: '' }), { ok: false, status: 404, message: 'HTTP 404 from https://hooks.example', retryable: false })
})

t.test('a redirect says to configure where it leads, not retried', async (t) => {
  t.same(reportForStatus({ status: 301, endpoint, detail: 'Moved' }), {
    ok: false,
    status: 301,
    message: 'HTTP 301 from https://hooks.example: redirects are not followed, set url to the address it redirects to',
    retryable: false
  })
})

t.test('a refused 2xx fails without retry', async (t) => {
  t.same(reportForStatus({ status: 200, endpoint, detail: 'no ok: true in the answer', refused: true }), {
    ok: false,
    status: 200,
    message: 'HTTP 200 from https://hooks.example: no ok: true in the answer',
    retryable: false
  })
})

t.test('secrets leave the message before it is cut to length', async (t) => {
  const secret = 'sk_live_0123456789abcdef'
  const report = reportForStatus({ status: 400, endpoint, detail: `${'x'.repeat(MAX_REPORT_MESSAGE - 48)} ${secret} tail`, secrets: [secret] })
  t.equal(report.message!.length, MAX_REPORT_MESSAGE)
  t.ok(report.message!.endsWith('…'))
  t.notOk(report.message!.includes('sk_live'), 'no prefix of the secret survives the cut')
})

t.test('no answer: aborted, timeout, or the network', async (t) => {
  t.same(reportForNoAnswer({ cause: 'aborted', endpoint, timeout: '10s' }), {
    ok: false,
    status: 'aborted',
    message: 'delivery to https://hooks.example aborted before a response arrived',
    retryable: true
  })
  t.same(reportForNoAnswer({ cause: 'timeout', endpoint, timeout: '250ms' }), {
    ok: false,
    status: 'timeout',
    message: 'no answer from https://hooks.example within 250ms',
    retryable: true
  })
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
  t.same(reportForNoAnswer({ cause: 'network', endpoint, timeout: '10s', error: refused }), {
    ok: false,
    status: 'ECONNREFUSED',
    message: 'request to https://hooks.example failed: connect ECONNREFUSED 127.0.0.1:9',
    retryable: true
  })
  t.same(reportForNoAnswer({ cause: 'network', endpoint, timeout: '10s', error: new Error('socket hang up') }), {
    ok: false,
    message: 'request to https://hooks.example failed: socket hang up',
    retryable: true
  })
})

t.test('a request the client refused to send is a config problem', async (t) => {
  for (const code of ['UND_ERR_INVALID_ARG', 'ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_CHAR']) {
    const error = Object.assign(new Error('invalid header value'), { code })
    t.match(reportForNoAnswer({ cause: 'network', endpoint, timeout: '10s', error }), { ok: false, status: code, retryable: false }, code)
  }
})

t.test('a network error quoting a secret is redacted', async (t) => {
  const error = new Error('getaddrinfo ENOTFOUND tok-0123456789abcdef.example')
  const report = reportForNoAnswer({ cause: 'network', endpoint, timeout: '10s', error, secrets: ['tok-0123456789abcdef'] })
  t.equal(report.message, 'request to https://hooks.example failed: getaddrinfo ENOTFOUND [redacted].example')
})

t.test('describeBody quotes what a provider said', async (t) => {
  t.equal(describeBody('{"error":{"code":"WorkflowNotFound","message":"The workflow was not found"}}'), 'WorkflowNotFound: The workflow was not found')
  t.equal(describeBody('{"message":"maintenance"}'), 'maintenance')
  t.equal(describeBody('{"error":"invalid_token"}'), 'invalid_token')
  t.equal(describeBody('{"ok":false,"description":"Bad Request: chat not found"}'), 'Bad Request: chat not found')
  t.equal(describeBody('no_service\n  for this hook'), 'no_service for this hook')
  t.equal(describeBody('<html><body>Not Found</body></html>'), '', 'HTML pages are left out')
  t.equal(describeBody('   '), '')
  const long = describeBody('y'.repeat(500))
  t.equal(long.length, 200)
  t.ok(long.endsWith('…'))
})

t.test('jsonObject reads only objects', async (t) => {
  t.same(jsonObject({ a: 1 }), { a: 1 })
  for (const value of [null, undefined, 'x', 1, [1]]) t.same(jsonObject(value), {}, JSON.stringify(value))
})
