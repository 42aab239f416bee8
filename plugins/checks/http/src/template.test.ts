import type { IncomingHttpHeaders } from 'node:http'
import t from 'tap'
import { runCheck, runCheckInline } from '@vedette/sdk/testing'
import { httpCheck, validateHttpConfig } from './index.js'
import { compileTemplate, renderTemplate, templateValues } from './template.js'
import { plugin, serve } from './test-support.test.util.js'

interface Seen {
  url: string
  headers: IncomingHttpHeaders
  body: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const BODY = '{"monitor":"{{monitor.id}}","name":"{{ monitor.name }}","at":"{{now.iso}}","s":{{now.epoch}},"ms":{{now.epochMs}},"id":"{{random.uuid}}","n":{{random.int}}}'

t.test('body, header values and the URL query are filled in on each run', async (t) => {
  const seen: Seen[] = []
  const { base } = await serve(t, (req, res, body) => {
    seen.push({ url: req.url ?? '', headers: req.headers, body })
    res.end(body) // echo
  })
  const config = {
    url: `${base}/probe?t={{now.epoch}}&who={{monitor.name}}&fixed=1`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', 'x-request-id': '{{random.uuid}}', 'x-monitor': 'vdt/{{monitor.id}}' },
    body: BODY,
    captureBody: true
  }
  const monitor = { id: 'mon-42', name: 'Shop & API' }
  const before = Date.now()
  const first = await runCheck(plugin, config, { monitor })
  await new Promise((resolve) => setTimeout(resolve, 1100)) // so now.epoch (seconds) moves on
  const second = await runCheckInline(httpCheck, config, { monitor })
  const after = Date.now()
  t.equal(first.status, 'up', String(first.message))
  t.equal(second.status, 'up', String(second.message))
  const [a, b] = seen.map((s) => ({ ...s, json: JSON.parse(s.body) as Record<string, string | number> }))
  if (a === undefined || b === undefined) return t.fail('two requests expected')
  t.equal(first.observations?.body, a.body, 'the echoed body is the one sent')
  t.match(a.json, { monitor: 'mon-42', name: 'Shop & API', id: UUID })
  t.ok((a.json.ms as number) >= before && (b.json.ms as number) <= after, 'epochMs is the run time')
  t.equal(a.json.s, Math.floor((a.json.ms as number) / 1000), 'epoch is in seconds, from the same instant')
  t.equal(a.json.at, new Date(a.json.ms as number).toISOString(), 'iso from the same instant')
  t.ok(Number.isInteger(a.json.n) && (a.json.n as number) >= 0 && (a.json.n as number) < 2 ** 31, 'random.int is a non-negative int32')
  t.not(a.json.id, b.json.id, 'a new uuid per run')
  t.not(a.json.s, b.json.s, 'time moves between runs')
  t.not(a.json.n, b.json.n, 'a new random int per run (1 in 2^31 to collide)')
  t.equal(a.headers['x-request-id'], a.json.id, 'one value per run: the header and the body carry the same uuid')
  t.equal(a.headers['x-monitor'], 'vdt/mon-42')
  const query = new URL(a.url, base).searchParams
  t.equal(query.get('who'), 'Shop & API', 'query values are percent-encoded, so & stays inside the value')
  t.equal(query.get('t'), String(a.json.s))
  t.equal(query.get('fixed'), '1')
  t.match(first.observations?.finalUrl, /\?t=\d+&who=Shop%20%26%20API&fixed=1$/, 'finalUrl is the URL actually requested')
})

t.test('an unknown placeholder is a config error naming it, at validation and at run time', async (t) => {
  const config = { url: 'http://127.0.0.1:9/?x={{now.epoch}}', body: '{"at":"{{now.isoo}}"}', headers: { 'x-id': '{{monitor.uuid}}' } }
  t.same(validateHttpConfig(config), [
    'unknown placeholder {{monitor.uuid}} in header x-id (known: monitor.id, monitor.name, now.iso, now.epoch, now.epochMs, random.uuid, random.int)',
    'unknown placeholder {{now.isoo}} in body (known: monitor.id, monitor.name, now.iso, now.epoch, now.epochMs, random.uuid, random.int)'
  ])
  const result = await runCheck(plugin, config)
  t.equal(result.status, 'unknown', 'a broken monitor is not an outage')
  t.equal(result.reason, 'error')
  t.match(result.message, /^VDT_ERR_CHECK_HTTP_INVALID_CONFIG: .*unknown placeholder \{\{now\.isoo\}\} in body/)
  t.same(validateHttpConfig({ url: 'http://{{monitor.id}}.internal/x?a=1' }), ['placeholder {{monitor.id}} in url is only allowed in the query'])
  t.same(validateHttpConfig({ url: 'http://x/{{now.epoch}}' }), ['placeholder {{now.epoch}} in url is only allowed in the query'])
  t.same(validateHttpConfig({ url: 'http://x/#{{now.epoch}}' }), ['placeholder {{now.epoch}} in url is only allowed in the query'])
})

t.test('templates: what counts as a placeholder', async (t) => {
  t.equal(compileTemplate('plain {"a":{"b":1}}', 'body', []), undefined, 'no placeholder, no template')
  t.equal(compileTemplate('{{"a":1}}', 'body', []), undefined, 'braces around non-names are text')
  const problems: string[] = []
  const template = compileTemplate('{{monitor.id}}-{{ monitor.id }}', 'body', problems)
  t.same(problems, [])
  const values = templateValues({ id: 'm1', name: 'n' }, Date.UTC(2030, 0, 2, 3, 4, 5, 678))
  t.equal(renderTemplate(template ?? [], values), 'm1-m1')
  t.match(values, { 'now.iso': '2030-01-02T03:04:05.678Z', 'now.epoch': '1893553445', 'now.epochMs': '1893553445678' })
})

t.test('a monitor name cannot split a header', async (t) => {
  let header: string | string[] | undefined
  const { base } = await serve(t, (req, res) => {
    header = req.headers['x-name']
    res.end()
  })
  const result = await runCheckInline(httpCheck, { url: base, headers: { 'x-name': '{{monitor.name}}' } }, { monitor: { name: 'a\r\nx-injected: 1' } })
  t.equal(result.status, 'up', String(result.message))
  t.equal(header, 'a  x-injected: 1')
})
