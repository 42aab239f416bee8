import t from 'tap'
import { parseHeaders, parseUrlOption } from './http-options.js'

t.test('url: http(s), no credentials when refused, a secret URL never quoted', async (t) => {
  const problems: string[] = []
  const rules = { refuseCredentials: true }
  t.equal(parseUrlOption('https://hooks.example/x', problems, rules)?.href, 'https://hooks.example/x')
  t.equal(parseUrlOption(undefined, problems, rules), undefined)
  t.equal(parseUrlOption('not a url/s3cret', problems, rules), undefined)
  t.equal(parseUrlOption('ftp://example.com/x', problems, rules), undefined)
  t.equal(parseUrlOption('https://user:pw@example.com/x', problems, rules), undefined)
  t.same(problems, [
    'url is required',
    'url is not a valid URL',
    'url must be http: or https:, got ftp:',
    'url must not contain credentials: send them in headers.authorization'
  ])
})

t.test('a base URL: named, with a hint, quoted when not secret, without query or fragment', async (t) => {
  const problems: string[] = []
  const rules = { name: 'apiUrl', hint: 'the Bot API server', secret: false, base: true }
  t.equal(parseUrlOption('http://bot-api.internal:8081/', problems, rules)?.href, 'http://bot-api.internal:8081/')
  t.equal(parseUrlOption('', problems, rules), undefined)
  t.equal(parseUrlOption('api.telegram.org', problems, rules), undefined)
  t.equal(parseUrlOption('https://api.example/?region=eu', problems, rules), undefined)
  t.equal(parseUrlOption('https://user:pw@api.example/', problems, rules)?.username, 'user', 'credentials pass unless refused')
  t.same(problems, ['apiUrl is required: the Bot API server', 'apiUrl is not a valid URL: "api.telegram.org"', 'apiUrl must be a base URL without query or fragment'])
})

t.test('headers: lower-cased names; framing and managed headers refused', async (t) => {
  const problems: string[] = []
  t.same(parseHeaders({ Authorization: 'Bearer x', 'X-Trace': '1' }, [], problems), { authorization: 'Bearer x', 'x-trace': '1' })
  t.same(parseHeaders(undefined, [], problems), {})
  t.same(problems, [])
  parseHeaders({ 'Content-Length': '1', 'X-Vedette-Signature': 's', 'bad name': 'x', 'x-a': 'a\r\nb' }, ['x-vedette-signature'], problems)
  parseHeaders(['x'], [], problems)
  t.same(problems, [
    'header content-length is set by the notifier and cannot be configured',
    'header x-vedette-signature is set by the notifier and cannot be configured',
    'header name "bad name" is not a valid HTTP token',
    'header x-a must be a string without line breaks',
    'headers must be an object of strings'
  ])
})
