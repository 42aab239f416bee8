import t from 'tap'
import type { VedetteConfigInput } from '../../config/types.js'
import { alertApi, receiver } from './alert-api.test.util.js'

const SOON = new Date(Date.now() + 3_600_000).toISOString()
const LATER = new Date(Date.now() + 7_200_000).toISOString()

async function document(t: Parameters<typeof receiver>[0]): Promise<VedetteConfigInput> {
  const rx = await receiver(t)
  return {
    monitors: [{ id: 'api', type: 'tcp', interval: '1h', tags: ['api'], config: { host: '127.0.0.1', port: 1 } }],
    channels: [
      { id: 'ops', type: 'webhook', config: { url: `${rx.base}/ops` } },
      { id: 'dev', type: 'webhook', config: { url: `${rx.base}/dev` } }
    ],
    alerts: { rules: [{ id: 'base', kind: 'consecutive', channels: ['ops'] }] }
  }
}

interface Case {
  path: string
  key: string
  /** Where the list sits in the config document. */
  pointer: string
  /** What the engine runs, to prove a change is live. */
  live: (n: NonNullable<Awaited<ReturnType<typeof alertApi>>['engine']['alerting']['normalized']>) => Array<{ id: string }>
  valid: Record<string, unknown> & { id: string }
  changed: Record<string, unknown>
  /** A body the document validation refuses, and the field the pointer must name. */
  invalid: Record<string, unknown>
  field: string
}

const cases: Case[] = [
  {
    path: 'alerts/rules',
    key: 'rule',
    pointer: '/alerts/rules',
    live: (n) => n.rules,
    valid: { id: 'slow', kind: 'consecutive', threshold: 3, severity: 'warning', monitors: { tags: ['api'] }, channels: ['ops'] },
    changed: { threshold: 5, channels: ['dev'] },
    invalid: { id: 'bad', kind: 'consecutive', threshold: 0, channels: ['ops'] },
    field: 'threshold'
  },
  {
    path: 'alerts/silences',
    key: 'silence',
    pointer: '/alerts/silences',
    live: (n) => n.silences,
    valid: { id: 'deploy', monitors: { ids: ['api'] }, endsAt: SOON, comment: 'deploying' },
    changed: { endsAt: LATER },
    invalid: { id: 'bad', monitors: {}, endsAt: '2030-01-01 10:00' },
    field: 'endsAt'
  },
  {
    path: 'alerts/maintenance',
    key: 'maintenance',
    pointer: '/alerts/maintenance',
    live: (n) => n.maintenance,
    valid: { id: 'patch', monitors: { tags: ['api'] }, mode: 'suppress', weekdays: ['sun'], time: '03:00', duration: '1h', timezone: 'Europe/Paris' },
    changed: { mode: 'pause' },
    invalid: { id: 'bad', monitors: {}, mode: 'nap', startsAt: SOON, endsAt: LATER },
    field: 'mode'
  },
  {
    path: 'alerts/escalation-policies',
    key: 'policy',
    pointer: '/alerts/escalationPolicies',
    live: (n) => n.escalationPolicies,
    valid: { id: 'oncall', steps: [{ after: 0, channels: ['ops'] }, { after: '10m', channels: ['dev'] }] },
    changed: { repeat: 2 },
    invalid: { id: 'bad', steps: [{ after: 'soon', channels: ['ops'] }] },
    field: 'steps/0/after'
  }
]

t.test('CRUD of every alerting list: 201, 200, 204, 404, 409 and 400 with a pointer; each write is live and a version', async (t) => {
  const { app, engine } = await alertApi(t, await document(t))
  let version = 1
  for (const c of cases) {
    const url = `/api/v1/${c.path}`
    const before = (await app.inject({ url })).json().items as Array<{ id: string }>

    const created = await app.inject({ method: 'POST', url, payload: c.valid })
    t.equal(created.statusCode, 201, `${c.path}: create ${created.body}`)
    t.equal(created.headers.location, `${url}/${c.valid.id}`)
    t.match(created.json(), { [c.key]: c.valid, version: { version: ++version, summary: new RegExp(`^added .* ${c.valid.id}$`) } })
    t.ok(c.live(engine.alerting.normalized!).some((r) => r.id === c.valid.id), `${c.path}: applied live`)

    const dup = await app.inject({ method: 'POST', url, payload: c.valid })
    t.equal(dup.statusCode, 409, `${c.path}: same id again`)
    t.equal(dup.json().code, 'VDT_ERR_ALERTING_EXISTS')

    const listed = (await app.inject({ url })).json().items as Array<{ id: string }>
    t.same(listed.map((r) => r.id), [...before.map((r) => r.id), c.valid.id], `${c.path}: listed in config order`)
    t.match((await app.inject({ url: `${url}/${c.valid.id}` })).json(), c.valid)

    const replacement = { ...c.valid, ...c.changed }
    const replaced = await app.inject({ method: 'PUT', url: `${url}/${c.valid.id}`, payload: replacement })
    t.equal(replaced.statusCode, 200, `${c.path}: replace ${replaced.body}`)
    t.match(replaced.json(), { [c.key]: c.changed, version: { version: ++version } })
    t.match((await app.inject({ url: `${url}/${c.valid.id}` })).json(), c.changed, `${c.path}: the replacement is stored`)

    const otherId = await app.inject({ method: 'PUT', url: `${url}/${c.valid.id}`, payload: { ...replacement, id: 'other' } })
    t.equal(otherId.statusCode, 400, `${c.path}: the id of the body must be the path's`)
    t.match(otherId.json(), { code: 'VDT_ERR_CONFIG_INVALID', details: [{ pointer: '/id' }] })
    const missing = await app.inject({ method: 'PUT', url: `${url}/nope`, payload: { ...replacement, id: 'nope' } })
    t.equal(missing.statusCode, 404, `${c.path}: replace a missing one`)
    t.equal(missing.json().code, 'VDT_ERR_ALERTING_NOT_FOUND')

    const invalid = await app.inject({ method: 'POST', url, payload: c.invalid })
    t.equal(invalid.statusCode, 400, `${c.path}: invalid`)
    t.equal(invalid.json().code, 'VDT_ERR_CONFIG_INVALID')
    const index = before.length + 1
    const pointers = (invalid.json().details as Array<{ pointer: string }>).map((d) => d.pointer)
    t.ok(pointers.includes(`${c.pointer}/${index}/${c.field}`), `${c.path}: a pointer names the field (${pointers.join(', ')})`)
    t.equal((await app.inject({ url: `${url}/bad` })).statusCode, 404, `${c.path}: nothing of an invalid write is stored`)

    const deleted = await app.inject({ method: 'DELETE', url: `${url}/${c.valid.id}` })
    t.equal(deleted.statusCode, 204)
    t.equal(deleted.headers['x-config-version'], String(++version))
    t.notOk(c.live(engine.alerting.normalized!).some((r) => r.id === c.valid.id), `${c.path}: removed live`)
    t.equal((await app.inject({ url: `${url}/${c.valid.id}` })).statusCode, 404)
    t.equal((await app.inject({ method: 'DELETE', url: `${url}/${c.valid.id}` })).json().code, 'VDT_ERR_ALERTING_NOT_FOUND')
  }
  const history = (await app.inject({ url: '/api/v1/config/history?limit=3' })).json().items as Array<{ version: number; summary: string }>
  t.same(history.map((h) => h.version), [version, version - 1, version - 2], 'every write is in the config history')
  t.match(history[0]!.summary, /removed escalation policy oncall/)
})

t.test('references are checked across the document', async (t) => {
  const { app } = await alertApi(t, await document(t))
  const unknownChannel = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', payload: { id: 'r', kind: 'consecutive', channels: ['ops', 'pager'] } })
  t.equal(unknownChannel.statusCode, 400)
  t.match(unknownChannel.json(), { code: 'VDT_ERR_CONFIG_INVALID', details: [{ pointer: '/alerts/rules/1/channels/1', message: /pager/ }] })
  const unknownPolicy = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', payload: { id: 'r', kind: 'consecutive', escalation: 'nobody' } })
  t.equal(unknownPolicy.statusCode, 400)
  t.match(unknownPolicy.json().details, [{ pointer: '/alerts/rules/1/escalation' }])
  const unknownKind = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', payload: { id: 'r', kind: 'sometimes' } })
  t.match(unknownKind.json().details, [{ pointer: '/alerts/rules/1/kind' }])
  const notObject = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', payload: '[1]', headers: { 'content-type': 'application/json' } })
  t.equal(notObject.statusCode, 400, 'a body that is not an object')
})

t.test('a silence gets its author from the key; a viewer key reads but cannot write', async (t) => {
  const { app, key } = await alertApi(t, await document(t), { auth: true })
  const viewer = { authorization: `Bearer ${await key('viewer')}` }
  const editor = { authorization: `Bearer ${await key('editor')}` }
  t.equal((await app.inject({ url: '/api/v1/alerts/rules' })).statusCode, 401, 'no key')

  const silence = await app.inject({ method: 'POST', url: '/api/v1/alerts/silences', headers: editor, payload: { id: 's1', monitors: {}, endsAt: SOON } })
  t.equal(silence.statusCode, 201, silence.body)
  t.equal(silence.json().silence.createdBy, 'editor-key', "created without createdBy: the caller's name")
  t.match(silence.json().version.author, /^editor-key \(/, 'and the version names the key')
  const named = await app.inject({ method: 'POST', url: '/api/v1/alerts/silences', headers: editor, payload: { id: 's2', monitors: {}, endsAt: SOON, createdBy: 'alice' } })
  t.equal(named.json().silence.createdBy, 'alice')

  for (const url of ['/alerts', '/alerts/rules', '/alerts/rules/base', '/alerts/silences', '/alerts/maintenance', '/alerts/escalation-policies', '/notifications/channels', '/notifications/preferences', '/notifications/history']) {
    t.equal((await app.inject({ url: `/api/v1${url}`, headers: viewer })).statusCode, 200, `viewer GET ${url}`)
  }
  const writes: Array<[string, string, object?]> = [
    ['POST', '/alerts/rules', { id: 'r', kind: 'consecutive' }],
    ['PUT', '/alerts/rules/base', { id: 'base', kind: 'consecutive' }],
    ['DELETE', '/alerts/rules/base'],
    ['POST', '/alerts/silences', { id: 's3', monitors: {}, endsAt: SOON }],
    ['DELETE', '/alerts/silences/s1'],
    ['POST', '/alerts/maintenance', { id: 'm', monitors: {}, mode: 'pause', startsAt: SOON, endsAt: LATER }],
    ['POST', '/alerts/escalation-policies', { id: 'p', steps: [{ after: 0, channels: ['ops'] }] }],
    ['POST', '/notifications/channels', { id: 'x', type: 'webhook', config: { url: 'http://127.0.0.1:1/' } }],
    ['DELETE', '/notifications/channels/dev'],
    ['POST', '/notifications/send', { channel: 'ops' }],
    ['PUT', '/notifications/preferences', { users: [] }],
    ['PUT', '/notifications/preferences/alice', { id: 'alice', name: 'Alice', contacts: ['ops'] }],
    ['PUT', '/alerts/al_x/acknowledge', {}],
    ['POST', '/alerts/al_x/resolve', {}]
  ]
  for (const [method, url, payload] of writes) {
    const res = await app.inject({ method: method as 'POST', url: `/api/v1${url}`, headers: viewer, ...(payload ? { payload } : {}) })
    t.equal(res.statusCode, 403, `viewer ${method} ${url}`)
    t.equal(res.json().code, 'VDT_ERR_FORBIDDEN')
  }
  t.same(((await app.inject({ url: '/api/v1/alerts/rules', headers: viewer })).json().items as Array<{ id: string }>).map((r) => r.id), ['base'], 'nothing changed')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/alerts/silences/s1', headers: editor })).statusCode, 204, 'the editor may')
})
