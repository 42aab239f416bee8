import t from 'tap'
import { assertObservationsDeclared, runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck, validateHttpConfig } from './index.js'
import type { HttpCheckConfig } from './index.js'
import { plugin, serve } from './test-support.test.util.js'

const PASSWORD = 'pa55-Wörd:with-colon'
const TOKEN = 'tok.3n-SECRET_value'
const BASIC = `Basic ${Buffer.from(`ops:${PASSWORD}`, 'utf8').toString('base64')}`

/** Everything a user can see of a result or an error, as one string to search for secrets. */
function visible(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message } : v))
}

t.test('basic and bearer credentials reach the server; a 401 without them is down', async (t) => {
  const seen: (string | undefined)[] = []
  const { base } = await serve(t, (req, res) => {
    seen.push(req.headers.authorization)
    const ok = req.headers.authorization === BASIC || req.headers.authorization === `Bearer ${TOKEN}`
    res.writeHead(ok ? 200 : 401, ok ? {} : { 'www-authenticate': 'Basic realm="ops"' }).end(ok ? 'welcome' : 'who are you?')
  })
  const basic = await runCheck(plugin, { url: `${base}/admin`, auth: { type: 'basic', username: 'ops', password: PASSWORD }, captureHeaders: true })
  const bearer = await runCheckInline(httpCheck, { url: `${base}/admin`, auth: { type: 'bearer', token: TOKEN } })
  const none = await runCheckInline(httpCheck, { url: `${base}/admin` })
  const wrong = await runCheckInline(httpCheck, { url: `${base}/admin`, auth: { type: 'bearer', token: 'nope' } })
  t.same(seen, [BASIC, `Bearer ${TOKEN}`, undefined, 'Bearer nope'])
  t.equal(basic.status, 'up', String(basic.message))
  t.equal(bearer.status, 'up', String(bearer.message))
  t.equal(none.status, 'down')
  t.equal(none.message, 'unexpected status 401 Unauthorized (expected 200-299)')
  t.equal(wrong.status, 'down')
  for (const result of [basic, bearer, none, wrong]) {
    const text = visible(result)
    t.notOk(text.includes(PASSWORD) || text.includes(TOKEN) || text.includes(BASIC.slice(6)), `no secret in: ${result.message}`)
  }
  assertObservationsDeclared(t, plugin, basic.observations)
})

t.test('credentials do not follow a redirect to another origin', async (t) => {
  let forwarded: string | undefined = 'not called'
  const other = await serve(t, (req, res) => {
    forwarded = req.headers.authorization
    res.end()
  })
  const { base } = await serve(t, (_req, res) => res.writeHead(302, { location: `${other.base}/` }).end())
  const result = await runCheckInline(httpCheck, { url: base, auth: { type: 'bearer', token: TOKEN } })
  t.equal(result.status, 'up', String(result.message))
  t.equal(forwarded, undefined)
})

t.test('bad auth config is refused without echoing the secret', async (t) => {
  const cases: [HttpCheckConfig['auth'], string][] = [
    [{ type: 'basic', username: 'a:b', password: PASSWORD }, 'auth.username must not contain a colon'],
    [{ type: 'basic', username: 'ops', password: `${PASSWORD}\n` }, 'auth.password must not contain control characters'],
    [{ type: 'bearer', token: `${TOKEN} x` }, 'auth.token must be visible ASCII without spaces'],
    [{ type: 'bearer', token: '' }, 'auth.token must be a non-empty string'],
    [{ type: 'digest', token: TOKEN } as unknown as HttpCheckConfig['auth'], 'auth.type must be basic or bearer']
  ]
  for (const [auth, problem] of cases) t.same(validateHttpConfig({ url: 'http://x/', auth }), [problem])
  t.same(validateHttpConfig({ url: 'http://x/', auth: { type: 'bearer', token: TOKEN }, headers: { Authorization: 'Bearer other' } }), [
    'set either auth or an authorization header, not both'
  ])
  const result = await runCheckInline(httpCheck, { url: 'http://127.0.0.1:9/', auth: { type: 'bearer', token: `${TOKEN} x` } })
  t.equal(result.status, 'unknown')
  t.match(result.message, /^VDT_ERR_CHECK_HTTP_INVALID_CONFIG: .*auth\.token/)
  t.notOk(visible(result).includes(TOKEN), 'the run-time config error does not carry the token')
})
