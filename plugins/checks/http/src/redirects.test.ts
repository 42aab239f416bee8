import type { IncomingMessage } from 'node:http'
import t from 'tap'
import { runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

t.test('redirects are followed hop by hop on fresh connections and phases summed', async (t) => {
  const DELAY = 60
  const seen: string[] = []
  const { base, connections } = await serve(t, (req, res) => {
    seen.push(req.url ?? '')
    setTimeout(() => {
      if (req.url === '/a/start') res.writeHead(302, { location: 'next' }).end() // relative
      else if (req.url === '/a/next') res.writeHead(301, { location: `${base}/final` }).end() // absolute
      else res.end('done')
    }, DELAY)
  })
  const result = await runCheck(plugin, { url: `${base}/a/start` })
  t.equal(result.status, 'up', String(result.message))
  t.equal(result.message, 'HTTP 200 OK after 2 redirects')
  t.same(seen, ['/a/start', '/a/next', '/final'])
  t.equal(connections(), 3, 'one connection per hop')
  t.match(result.observations, { redirects: 2, finalUrl: `${base}/final`, statusCode: 200, responseBytes: 4 })
  // Each hop waited DELAY before its headers: only a sum over hops reaches 3x.
  t.ok((result.phases?.ttfb as number) >= 3 * DELAY - 5, `ttfb ${result.phases?.ttfb} summed over 3 hops`)
  t.ok((result.phases?.connect as number) > 0)
})

t.test('a redirect loop beyond maxRedirects is down', async (t) => {
  let requests = 0
  const { base } = await serve(t, (_req, res) => {
    requests++
    res.writeHead(307, { location: '/loop' }).end()
  })
  const result = await runCheck(plugin, { url: `${base}/loop`, maxRedirects: 3 })
  t.equal(result.status, 'down')
  t.equal(result.message, 'too many redirects: more than 3, next Location "/loop"')
  t.equal(requests, 4, 'the first request plus 3 redirects')
  t.equal(result.observations?.redirects, 3)

  const none = await runCheckInline(httpCheck, { url: `${base}/loop`, maxRedirects: 0 })
  t.match(none.message, /^too many redirects: more than 0/)
})

t.test('followRedirects false checks the redirect itself', async (t) => {
  const { base, connections } = await serve(t, (_req, res) => res.writeHead(302, { location: '/elsewhere' }).end())
  const accepted = await runCheck(plugin, { url: base, followRedirects: false, expectedStatus: [302] })
  t.equal(accepted.status, 'up', String(accepted.message))
  t.match(accepted.observations, { statusCode: 302, redirects: 0 })
  const refused = await runCheckInline(httpCheck, { url: base, followRedirects: false })
  t.equal(refused.status, 'down')
  t.equal(refused.message, 'unexpected status 302 Found (expected 200-299)')
  t.equal(connections(), 2, 'no hop was followed')
})

t.test('POST sends body and headers; 303 turns it into a GET without the body', async (t) => {
  const received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = []
  const { base } = await serve(t, (req, res, body) => {
    received.push({ method: req.method, url: req.url, headers: req.headers, body })
    if (req.url === '/submit') res.writeHead(303, { location: '/result' }).end()
    else res.end('thanks')
  })
  const result = await runCheck(plugin, {
    url: `${base}/submit`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Probe': 'vedette', Authorization: 'Bearer s3cret' },
    body: '{"ping":true}'
  })
  t.equal(result.status, 'up', String(result.message))
  t.equal(received.length, 2)
  t.match(received[0], {
    method: 'POST',
    body: '{"ping":true}',
    headers: {
      'content-type': 'application/json',
      'x-probe': 'vedette',
      'content-length': '13',
      'user-agent': 'vedette-check-http',
      authorization: 'Bearer s3cret'
    }
  })
  t.match(received[1], { method: 'GET', url: '/result', body: '' })
  t.notOk('content-type' in (received[1]?.headers ?? {}), 'body headers dropped with the body')
  t.equal(received[1]?.headers.authorization, 'Bearer s3cret', 'same origin keeps credentials')
})

t.test('307 keeps method and body; credentials stay with their origin', async (t) => {
  let seen: { method?: string; headers: IncomingMessage['headers']; body: string } | undefined
  const other = await serve(t, (req, res, body) => {
    seen = { method: req.method, headers: req.headers, body }
    res.end()
  })
  const { base } = await serve(t, (_req, res) => res.writeHead(307, { location: `${other.base}/` }).end())
  const result = await runCheckInline(httpCheck, {
    url: base,
    method: 'PUT',
    body: 'payload',
    headers: { authorization: 'Bearer s3cret', cookie: 'sid=1', 'x-keep': '1', 'user-agent': 'custom/1' }
  })
  t.equal(result.status, 'up', String(result.message))
  t.match(seen, { method: 'PUT', body: 'payload', headers: { 'x-keep': '1', 'user-agent': 'custom/1' } })
  t.equal(seen?.headers.authorization, undefined)
  t.equal(seen?.headers.cookie, undefined)
})

t.test('a redirect that cannot be followed is down', async (t) => {
  const { base } = await serve(t, (_req, res) => res.writeHead(302, { location: 'ftp://files.example/x' }).end())
  const result = await runCheckInline(httpCheck, { url: base })
  t.equal(result.status, 'down')
  t.equal(result.message, 'redirect to unsupported scheme ftp: (ftp://files.example/x)')
})
