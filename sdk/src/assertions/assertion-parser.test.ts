import t from 'tap'
import { formatAssertion, normalizeAssertions, parseAssertion } from '../index.js'

const examples: Array<[string, object]> = [
  ['status in 200..299', { source: 'status', op: 'in', target: '200..299' }],
  ['status == 200', { source: 'status', op: '==', target: 200 }],
  ['latency.tls < 200ms', { source: 'latency.tls', op: '<', target: '200ms' }],
  ['latency < 2s warning', { source: 'latency', op: '<', target: '2s', severity: 'warning' }],
  ['header.content-type contains json', { source: 'header.content-type', op: 'contains', target: 'json' }],
  ['body contains "ok"', { source: 'body', op: 'contains', target: 'ok' }],
  ['body matches /ver(\\d+)/', { source: 'body', op: 'matches', target: 'ver(\\d+)' }],
  ['json $.items[?@.ok==false] empty', { source: 'json', path: '$.items[?@.ok==false]', op: 'empty' }],
  ['json $.count > 3', { source: 'json', path: '$.count', op: '>', target: 3 }],
  ['json $.items[*].ok all == true', { source: 'json', path: '$.items[*].ok', op: '==', target: true, quantifier: 'all' }],
  ['tls.daysUntilExpiry > 14 warning', { source: 'tls.daysUntilExpiry', op: '>', target: 14, severity: 'warning' }],
  ['obs.rcode == NOERROR', { source: 'obs.rcode', op: '==', target: 'NOERROR' }],
  ['header.x-id exists', { source: 'header.x-id', op: 'exists' }],
  ['body.regex /build-(\\d+)/ >= 40', { source: 'body.regex', path: 'build-(\\d+)', op: '>=', target: 40 }],
  ['daysUntilExpiry > 7', { source: 'daysUntilExpiry', op: '>', target: 7 }],
  ['body !contains "a b"', { source: 'body', op: '!contains', target: 'a b' }],
  ['body matches /x\\/y/i critical', { source: 'body', op: 'matches', target: '/x\\/y/i', severity: 'critical' }],
  ['json $.tags any == x', { source: 'json', path: '$.tags', op: '==', target: 'x', quantifier: 'any' }],
  ['json $.v == "200"', { source: 'json', path: '$.v', op: '==', target: '200' }],
  ['json $.o == {"a":[1,2]}', { source: 'json', path: '$.o', op: '==', target: { a: [1, 2] } }],
  ['and(status == 200, or(latency < 2s, not(header.x-id exists))) warning', {
    and: [{ source: 'status', op: '==', target: 200 }, { or: [{ source: 'latency', op: '<', target: '2s' }, { not: { source: 'header.x-id', op: 'exists' } }] }],
    severity: 'warning'
  }]
]

t.test('every example parses to its tree and round-trips through formatAssertion', async (t) => {
  for (const [text, tree] of examples) {
    const parsed = parseAssertion(text)
    t.strictSame(parsed, tree, text)
    // Quotes are only written when needed, so `"ok"` comes back as `ok`.
    t.equal(formatAssertion(parsed), text === 'body contains "ok"' ? 'body contains ok' : text, `format ${text}`)
    t.strictSame(parseAssertion(formatAssertion(parsed)), parsed, `re-parse ${text}`)
  }
})

t.test('JSONPath with spaces inside filters stays one path', async (t) => {
  t.strictSame(parseAssertion("json $.items[?@.name == 'a b'] !empty"), { source: 'json', path: "$.items[?@.name == 'a b']", op: '!empty' })
})

t.test('parse errors give the 1-based column and what was expected', async (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['status => 200', 8, /^column 8: expected an operator \(== != < <= > >= contains !contains matches exists !exists empty !empty in\) but found "=>"/],
    ['status', 7, /column 7: expected an operator .* but found end of input/],
    ['headers.x exists', 1, /column 1: expected a source/],
    ['status in 200', 11, /column 11: expected a range like 200\.\.299 but found "200"/],
    ['json count > 3', 6, /column 6: expected a JSONPath starting with \$/],
    ['json $.a[?@.x== > 3', 17, /column 17: expected a valid RFC 9535 JSONPath/],
    ['body matches /ab(/', 14, /column 14: expected a valid regular expression/],
    ['body matches /abc', 18, /column 18: expected a closing "\/"/],
    ['status == 200 fatal', 15, /column 15: expected end of input or a severity \(critical warning\) but found "fatal"/],
    ['status ==', 10, /column 10: expected a target value but found end of input/],
    ['and(status == 200 latency < 1)', 19, /column 19: expected "," or "\)" but found "latency"/],
    ['body contains "open', 15, /column 15: expected a closing "/]
  ]
  for (const [text, column, message] of cases) {
    t.throws(() => parseAssertion(text), { code: 'VDT_ERR_ASSERTION_SYNTAX', message, details: { column, input: text } }, text)
  }
})

t.test('normalizeAssertions parses strings and validates objects, naming the index', async (t) => {
  t.strictSame(normalizeAssertions(['status == 200', { source: 'status', op: 'in', target: [200, 204] }, { or: ['latency < 1s', { source: 'body', op: 'exists' }], severity: 'warning' }]), [
    { source: 'status', op: '==', target: 200 },
    { source: 'status', op: 'in', target: '200..204' },
    { or: [{ source: 'latency', op: '<', target: '1s' }, { source: 'body', op: 'exists' }], severity: 'warning' }
  ])
  t.throws(() => normalizeAssertions(['status == 200', { source: 'headers.x', op: 'exists' }]), { code: 'VDT_ERR_ASSERTION_UNKNOWN_SOURCE', message: /assertions\[1\]/ })
  t.throws(() => normalizeAssertions([{ source: 'status', op: '===', target: 1 }]), { code: 'VDT_ERR_ASSERTION_UNKNOWN_OPERATOR', message: /assertions\[0\].*'==='/ })
  t.throws(() => normalizeAssertions([{ and: [{ source: 'status', op: 'eq', target: 1 }] }]), { code: 'VDT_ERR_ASSERTION_UNKNOWN_OPERATOR', message: /assertions\[0\]\.and\[0\]/ })
  t.throws(() => normalizeAssertions(['ok', 'status = 1']), { code: 'VDT_ERR_ASSERTION_SYNTAX', message: /in assertions\[0\]/ })
  t.throws(() => normalizeAssertions([{ source: 'json', op: 'exists' }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /needs a 'path'/ })
  t.throws(() => normalizeAssertions([{ source: 'json', path: '$[?', op: 'exists' }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /invalid JSONPath/ })
  t.throws(() => normalizeAssertions([{ source: 'status', op: 'exists', target: 1 }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /takes no target/ })
  t.throws(() => normalizeAssertions([{ source: 'status', op: '==' }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /needs a target/ })
  t.throws(() => normalizeAssertions([{ source: 'status', op: '==', target: 1, operator: '==' }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /unknown key/ })
  t.throws(() => normalizeAssertions([{ and: [], severity: 'warning' }]), { code: 'VDT_ERR_ASSERTION_INVALID', message: /non-empty/ })
  t.throws(() => normalizeAssertions([{ source: 'status', op: '==', target: 1, severity: 'fatal' }]), { code: 'VDT_ERR_ASSERTION_INVALID' })
})
