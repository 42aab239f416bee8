import t from 'tap'
import type { HopRequest } from './hop.js'
import { firstHeader, isRedirect, nextHop } from './redirect.js'

const base: HopRequest = {
  url: new URL('https://api.example/v1/items?page=2'),
  method: 'POST',
  headers: ['content-type', 'application/json', 'authorization', 'Bearer x', 'cookie', 'a=1', 'host', 'api.internal', 'x-trace', '7'],
  body: '{}',
  tlsVerify: true,
  tls: { context: undefined, contextId: 0, servername: 'api.internal', clientCert: true },
  foreignTls: { context: undefined, contextId: 0, servername: undefined, clientCert: false },
  http2: false,
  maxBodyBytes: 100,
  captureBody: false,
  reuseConnection: false,
  timeoutMs: 1000
}

t.test('relative and absolute locations resolve against the current URL', async (t) => {
  t.equal((nextHop(base, 307, 'next') as HopRequest).url.href, 'https://api.example/v1/next')
  t.equal((nextHop(base, 307, '/root') as HopRequest).url.href, 'https://api.example/root')
  t.equal((nextHop(base, 307, '?page=3') as HopRequest).url.href, 'https://api.example/v1/items?page=3')
  t.equal((nextHop(base, 307, '//cdn.example/x') as HopRequest).url.href, 'https://cdn.example/x')
  t.equal((nextHop(base, 307, 'http://api.example:8080/') as HopRequest).url.href, 'http://api.example:8080/')
})

t.test('method rewriting follows fetch', async (t) => {
  const cases: [string, number, string][] = [
    ['POST', 301, 'GET'],
    ['POST', 302, 'GET'],
    ['POST', 303, 'GET'],
    ['PUT', 303, 'GET'],
    ['HEAD', 303, 'HEAD'],
    ['PUT', 301, 'PUT'],
    ['POST', 307, 'POST'],
    ['POST', 308, 'POST']
  ]
  for (const [method, status, expected] of cases) {
    const hop = nextHop({ ...base, method }, status, '/next') as HopRequest
    t.equal(hop.method, expected, `${method} + ${status}`)
    t.equal(hop.body, expected === 'GET' ? undefined : '{}', `${method} + ${status} body`)
  }
})

t.test('headers: body headers go with the body, credentials stay with the origin', async (t) => {
  const get = nextHop(base, 303, '/done') as HopRequest
  t.same(get.headers, ['authorization', 'Bearer x', 'cookie', 'a=1', 'host', 'api.internal', 'x-trace', '7'])
  const away = nextHop(base, 307, 'https://other.example/') as HopRequest
  t.same(away.headers, ['content-type', 'application/json', 'x-trace', '7'])
  const same = nextHop(base, 308, '/moved') as HopRequest
  t.equal(same.headers, base.headers, 'unchanged headers are not copied')
})

t.test('unfollowable locations', async (t) => {
  t.equal(nextHop(base, 302, 'mailto:ops@example.com'), 'redirect to unsupported scheme mailto: (mailto:ops@example.com)')
  t.equal(nextHop(base, 302, 'http://[::1'), 'redirect to an invalid Location "http://[::1"')
})

t.test('isRedirect and firstHeader', async (t) => {
  t.same([300, 301, 302, 303, 304, 305, 307, 308].filter(isRedirect), [301, 302, 303, 307, 308])
  t.equal(firstHeader({ location: ['/a', '/b'] }, 'location'), '/a')
  t.equal(firstHeader({ location: '/a' }, 'location'), '/a')
  t.equal(firstHeader(undefined, 'location'), undefined)
})

t.test('the client certificate and servername stay with the monitored origin', async (t) => {
  t.equal((nextHop(base, 307, '/other') as HopRequest).tls, base.tls, 'same origin keeps them')
  t.equal((nextHop(base, 307, 'https://cdn.example/x') as HopRequest).tls, base.foreignTls, 'another origin gets trust only')
})
