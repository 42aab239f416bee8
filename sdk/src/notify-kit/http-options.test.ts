import t from 'tap'
import { parseEndpointUrl, parseHeaders } from './http-options.js'

t.test('url: http(s), no credentials, never echoed', async (t) => {
  const problems: string[] = []
  t.equal(parseEndpointUrl('https://hooks.example/x', problems)?.href, 'https://hooks.example/x')
  t.equal(parseEndpointUrl(undefined, problems), undefined)
  t.equal(parseEndpointUrl('not a url/s3cret', problems), undefined)
  parseEndpointUrl('ftp://example.com/x', problems)
  parseEndpointUrl('https://user:pw@example.com/x', problems)
  t.same(problems, [
    'url is required',
    'url is not a valid URL',
    'url must be http: or https:, got ftp:',
    'url must not contain credentials: send them in headers.authorization'
  ])
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
