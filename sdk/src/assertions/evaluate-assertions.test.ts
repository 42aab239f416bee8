import t from 'tap'
import { assertionSchema, evaluateAssertions, normalizeAssertions, parseAssertion } from '../index.js'
import type { AssertionSubject } from '../index.js'

const subject = (over: Partial<AssertionSubject> = {}): AssertionSubject => ({
  statusCode: 200,
  latencyMs: 1500,
  phases: { dns: 5, connect: 20, tls: 150, ttfb: 300, transfer: 40 },
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Id': 'abc', 'set-cookie': ['a=1', 'b=2'], 'content-length': '42' },
  body: JSON.stringify({ count: 5, version: 'ver12', items: [{ ok: true, id: 1 }, { ok: true, id: 2 }], tags: ['x', 'y'], empty: [] }),
  observations: { daysUntilExpiry: 30, rcode: 'NOERROR', tls: { protocol: 'TLSv1.3' }, answers: ['1.2.3.4'], response: 'PONG' },
  ...over
})

const check = (text: string, s: AssertionSubject = subject()) => {
  const r = evaluateAssertions([parseAssertion(text)], s)
  const [first] = r.results
  if (first === undefined) throw new Error('no result')
  return first
}

t.test('each operator passes and fails', async (t) => {
  const pairs: Array<[string, string]> = [
    ['status == 200', 'status == 201'],
    ['status != 500', 'status != 200'],
    ['latency < 2s', 'latency < 1s'],
    ['latency <= 1500ms', 'latency <= 1499'],
    ['latency > 1s', 'latency > 1.5s'],
    ['latency >= 1500', 'latency >= 1501'],
    ['header.content-type contains json', 'header.content-type contains xml'],
    ['header.content-type !contains xml', 'header.content-type !contains json'],
    ['body matches /ver(\\d+)/', 'body matches /^ver/'],
    ['header.x-id exists', 'header.x-missing exists'],
    ['header.x-missing !exists', 'header.x-id !exists'],
    ['json $.empty empty', 'json $.items empty'],
    ['json $.items !empty', 'json $.empty !empty'],
    ['status in 200..299', 'status in 300..399'],
    ['latency in 1s..2s', 'latency in 0..1s'],
    ['header.content-length == 42', 'header.content-length > 42'],
    ['json $.tags contains x', 'json $.tags contains z'],
    ['obs.rcode == NOERROR', 'obs.rcode == NXDOMAIN'],
    ['tls.daysUntilExpiry > 14', 'tls.daysUntilExpiry > 60'],
    ['tls.protocol == TLSv1.3', 'tls.protocol == TLSv1.2'],
    ['daysUntilExpiry >= 30', 'daysUntilExpiry < 30'],
    ['dns.answers contains 1.2.3.4', 'dns.answers contains 5.6.7.8'],
    ['tcp.response == PONG', 'tcp.response == PANG'],
    ['body contains "\\"ok\\": true"', 'body contains nope'],
    ['json $.o == null', 'json $.count == null']
  ]
  const s = subject({ body: subject().body?.replace('{', '{"ok": true, "o": null, ') ?? '' })
  for (const [pass, fail] of pairs) {
    t.equal(check(pass, s).pass, true, pass)
    t.equal(check(fail, s).pass, false, fail)
  }
})

t.test('duration targets are milliseconds and phases are sources', async (t) => {
  t.ok(check('latency.tls < 200ms').pass)
  t.notOk(check('latency.tls < 0.1s').pass)
  t.ok(check('latency.ttfb == 300ms').pass)
  t.match(check('latency.custom < 1s'), { pass: false, actual: '(missing)' })
  t.match(check('latency < 1m'), { pass: true, actual: 1500, expected: '< 1m' })
})

t.test('headers are case-insensitive and multi-value headers can be quantified', async (t) => {
  t.ok(check('header.CONTENT-TYPE contains json').pass)
  t.ok(check('header.x-ID == abc').pass)
  t.match(check('header.Set-Cookie == "a=1, b=2"'), { pass: true })
  t.ok(check('header.set-cookie any == b=2').pass)
  t.notOk(check('header.set-cookie all == b=2').pass)
})

t.test('body.regex compares capture group 1 or the whole match', async (t) => {
  t.match(check('body.regex /ver(\\d+)/ == 12'), { pass: true, actual: '12' })
  t.match(check('body.regex /ver\\d+/ == ver12'), { pass: true, actual: 'ver12' })
  t.ok(check('body.regex /"count":(\\d+)/ > 3').pass)
  t.match(check('body.regex /nothing(\\d)/ == 1'), { pass: false, actual: '(missing)' })
  t.ok(check('body.regex /nothing/ !exists').pass)
  t.ok(check('body matches /VER\\d+/i').pass)
})

t.test('any / all quantifiers over lists', async (t) => {
  t.ok(check('json $.items[*].ok all == true').pass)
  t.ok(check('json $.items[*].id any == 2').pass)
  t.notOk(check('json $.items[*].id all == 2').pass)
  t.ok(check('json $.tags any == y').pass, 'a single node that is an array is walked')
  t.ok(check('json $.items[*].id all < 3').pass)
  t.notOk(check('json $.nothing[*] all == true').pass, 'all over no values fails')
  t.notOk(check('json $.items[*].id any > 5').pass)
})

t.test('JSON is parsed once per subject; invalid JSON fails json assertions', async (t) => {
  const s = subject()
  const original = JSON.parse
  let calls = 0
  JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    if (text === s.body) calls++
    return original(text, reviver)
  }) as typeof JSON.parse
  try {
    evaluateAssertions(normalizeAssertions(['json $.count > 3', 'json $.items !empty', 'json $.tags any == x']), s)
  } finally {
    JSON.parse = original
  }
  t.equal(calls, 1)
  const bad = subject({ body: '<html>oops' })
  t.match(check('json $.count > 3', bad), { pass: false, actual: 'invalid JSON' })
  t.match(check('json $.x !exists', bad), { pass: false, actual: 'invalid JSON' })
  t.ok(check('body contains oops', bad).pass)
  t.match(check('json $.count exists', subject({ body: undefined })), { pass: false, actual: '(missing)' })
})

t.test('missing values fail except for !exists', async (t) => {
  const s = subject({ statusCode: undefined, headers: undefined, body: undefined, observations: undefined })
  for (const text of ['status == 200', 'header.x exists', 'body empty', 'obs.x != 1', 'tls.daysUntilExpiry > 1']) {
    t.match(check(text, s), { pass: false, actual: '(missing)' }, text)
  }
  t.ok(check('header.x !exists', s).pass)
  t.ok(check('json $.a !exists', s).pass)
  t.ok(check('obs.nope !exists', s).pass)
})

t.test('severity: critical failure → down, warning failure → degraded, worst wins', async (t) => {
  const run = (...texts: string[]) => evaluateAssertions(normalizeAssertions(texts), subject())
  t.equal(run('status == 200', 'latency < 2s').status, 'up')
  t.equal(run('status == 200', 'latency < 1s warning').status, 'degraded')
  t.equal(run('latency < 1s warning', 'status == 500').status, 'down')
  t.equal(run('status == 500 warning', 'latency < 1s').status, 'down')
  const r = run('latency < 1s warning')
  t.match(r.results[0], { expr: 'latency < 1s warning', pass: false, actual: 1500, expected: '< 1s', severity: 'warning', depth: 0 })
})

t.test('groups report their own entry before their children and decide status at the top', async (t) => {
  const r = evaluateAssertions(normalizeAssertions([{ or: ['status == 500', 'status == 200'] }, { not: 'header.x-id exists', severity: 'warning' }]), subject())
  t.equal(r.status, 'degraded')
  t.match(r.results, [
    { expr: 'or(status == 500, status == 200)', pass: true, actual: '1/2 passed', depth: 0 },
    { expr: 'status == 500', pass: false, depth: 1 },
    { expr: 'status == 200', pass: true, depth: 1 },
    { expr: 'not(header.x-id exists) warning', pass: false, actual: 'passed', expected: 'to fail', severity: 'warning', depth: 0 },
    { expr: 'header.x-id exists', pass: true, severity: 'warning', depth: 1 }
  ])
  const and = evaluateAssertions([parseAssertion('and(status == 200, latency < 1s warning)')], subject())
  t.equal(and.status, 'degraded', 'an and without severity fails as badly as its failed child')
  t.match(and.results[0], { pass: false, actual: '1/2 passed', severity: 'warning' })
  t.equal(evaluateAssertions([parseAssertion('and(status == 500, latency < 1s warning)')], subject()).status, 'down')
  t.equal(evaluateAssertions([parseAssertion('or(status == 500 warning, latency < 1s warning)')], subject()).status, 'degraded')
  t.equal(evaluateAssertions([parseAssertion('and(status == 500, latency < 1s) warning')], subject()).status, 'degraded')
})

t.test('JSONPath filters run against a realistic 20 KB body', async (t) => {
  const services = Array.from({ length: 160 }, (_, i) => ({
    id: `svc-${i}`,
    region: ['eu-west-1', 'us-east-1', 'ap-south-1'][i % 3],
    healthy: i !== 77,
    owner: `team-${i % 7}@example.com`,
    latencyMs: 20 + (i % 40),
    checks: [{ name: 'db', ok: true }, { name: 'cache', ok: i !== 77 }]
  }))
  const body = JSON.stringify({ generatedAt: '2025-01-01T00:00:00Z', services })
  t.ok(body.length >= 20_000, `body is ${body.length} bytes`)
  const s = subject({ body })
  t.match(check('json $.services[?@.healthy==false].id == svc-77', s), { pass: true, actual: 'svc-77' })
  t.notOk(check('json $.services[?@.healthy==false] empty', s).pass)
  t.ok(check("json $.services[?@.region=='eu-west-1' && @.latencyMs > 100] empty", s).pass)
  t.ok(check('json $.services[?@.checks[?@.ok==false]] any exists', s).pass)
  t.ok(check('json $.services[*].latencyMs all < 100', s).pass)
  t.notOk(check('json $.services[*].healthy all == true', s).pass)
  t.ok(check('json $.services[?length(@.checks) == 2] !empty', s).pass)
  const big = check('json $.services[*].id !empty', s)
  t.ok(typeof big.actual === 'string' && big.actual.length <= 200, 'actual is bounded')
})

t.test('assertionSchema describes both forms', async (t) => {
  t.match(assertionSchema, { $ref: '#/$defs/node', $defs: { leaf: { required: ['source', 'op'] } } })
  t.doesNotThrow(() => JSON.stringify(assertionSchema))
})
