import t from 'tap'
import { redactEndpoint, redactSecrets, urlSecrets } from './redact-endpoint.js'

t.test('an endpoint is named by scheme, host and port only', async (t) => {
  t.equal(redactEndpoint(new URL('https://discord.com/api/webhooks/1/tok?wait=true')), 'https://discord.com')
  t.equal(redactEndpoint(new URL('http://user:pw@127.0.0.1:8080/x#y')), 'http://127.0.0.1:8080')
})

t.test('urlSecrets: the URL, its path, and its long segments and query values', async (t) => {
  const url = new URL('https://x.logic.azure.com/workflows/0f1e2d3c/invoke?api-version=2016-06-01&sig=Zm9vYmFyU2lnbmF0dXJlMTIz')
  t.same(urlSecrets(url), [
    url.href,
    '/workflows/0f1e2d3c/invoke?api-version=2016-06-01&sig=Zm9vYmFyU2lnbmF0dXJlMTIz',
    '/workflows/0f1e2d3c/invoke',
    'Zm9vYmFyU2lnbmF0dXJlMTIz'
  ])
  t.same(urlSecrets(new URL('https://example.com')), ['https://example.com/', '/'], 'nothing else to hide')
})

t.test('redactSecrets replaces secrets as written and URL-encoded', async (t) => {
  const token = '123456:AAH-secret/token'
  t.equal(redactSecrets(`got ${token} and ${encodeURIComponent(token)}`, [token]), 'got [redacted] and [redacted]')
  t.equal(redactSecrets('the key abc is short', ['abc']), 'the key abc is short', 'values under 4 characters are left alone')
  t.equal(redactSecrets('nothing here', []), 'nothing here')
})

t.test('a secret containing another is redacted whole, whatever the order given', async (t) => {
  const url = 'https://hooks.example/services/T0/B0/xoxHookSecret42abc'
  t.equal(redactSecrets(`bad request to ${url}`, ['xoxHookSecret42abc', url]), 'bad request to [redacted]')
})
