import t from 'tap'
import { activeSilences, nextSilenceChange, normalizeSilence, parseInstant, silenceProblems } from './silences.js'

const T = (iso: string): number => Date.parse(iso)

t.test('parseInstant reads ISO times with an offset and epoch ms', async (t) => {
  t.equal(parseInstant('2025-01-07T04:00:00Z'), T('2025-01-07T04:00:00Z'))
  t.equal(parseInstant('2025-01-07T05:00:00+01:00'), T('2025-01-07T04:00:00Z'), 'offset applied')
  t.equal(parseInstant('2025-01-06T23:00-05:00'), T('2025-01-07T04:00:00Z'), 'seconds optional')
  t.equal(parseInstant('2025-01-07 04:00:00.250Z'), T('2025-01-07T04:00:00.250Z'), 'space and fraction')
  t.equal(parseInstant(1736222400000), 1736222400000)
})

t.test('parseInstant refuses times without an offset, impossible dates and junk', async (t) => {
  for (const bad of ['2025-01-07T04:00:00', '2025-01-07', '2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', 'tomorrow', '', -1, 1.5, null, undefined]) {
    t.equal(parseInstant(bad), undefined, JSON.stringify(bad))
  }
})

t.test('normalizeSilence: times in ms, start defaults to now, empty criteria dropped', async (t) => {
  const now = T('2025-03-01T10:00:00Z')
  t.same(normalizeSilence({ id: 'deploy', monitors: { tags: ['api'], ids: [] }, endsAt: '2025-03-01T11:00:00Z', comment: 'v2 rollout' }, now), {
    id: 'deploy',
    selector: { tags: ['api'] },
    startsAt: now,
    endsAt: T('2025-03-01T11:00:00Z'),
    expireOnResolve: false,
    comment: 'v2 rollout'
  })
  const s = normalizeSilence({ id: 'x', monitors: {}, startsAt: now + 5, endsAt: now + 10, expireOnResolve: true, createdBy: 'ana' }, 0)
  t.match(s, { startsAt: now + 5, endsAt: now + 10, expireOnResolve: true, createdBy: 'ana' })
  t.throws(() => normalizeSilence({ id: 'x', monitors: {}, endsAt: '2025-03-01 11:00' }, now, '/alerts/silences/2'), {
    name: 'TypeError',
    message: /^\/alerts\/silences\/2\/endsAt: must be an ISO time with an offset/
  })
})

t.test('activeSilences: in force (start inclusive, end exclusive) and covering the monitor', async (t) => {
  const now = T('2025-03-01T10:00:00Z')
  const silences = [
    normalizeSilence({ id: 'db-work', monitors: { tags: ['db'] }, startsAt: now - 60_000, endsAt: now + 60_000 }, now),
    normalizeSilence({ id: 'everything-later', monitors: {}, startsAt: now + 1, endsAt: now + 60_000 }, now),
    normalizeSilence({ id: 'api-now', monitors: { ids: ['api'] }, endsAt: now + 1 }, now)
  ]
  const db = { id: 'pg', tags: ['db'] }
  const api = { id: 'api', tags: [] }
  t.same(activeSilences(silences, db, now).map((s) => s.id), ['db-work'])
  t.same(activeSilences(silences, api, now).map((s) => s.id), ['api-now'], 'starts at now: active')
  t.same(activeSilences(silences, api, now + 1).map((s) => s.id), ['everything-later'], 'api-now ended at its endsAt')
  t.same(activeSilences(silences, db, now + 60_000), [], 'all over')
  t.equal(nextSilenceChange(silences, now), now + 1)
  t.equal(nextSilenceChange(silences, now + 1), now + 60_000)
  t.equal(nextSilenceChange(silences, now + 60_000), undefined)
})

t.test('silenceProblems: impossible dates and an end not after the start', async (t) => {
  t.same(silenceProblems({ startsAt: '2025-03-01T10:00:00Z', endsAt: '2025-03-01T09:00:00Z' }, '/alerts/silences/0'), [
    { pointer: '/alerts/silences/0/endsAt', message: 'must be after startsAt' }
  ])
  t.same(silenceProblems({ startsAt: 1000, endsAt: 1000 }, '/s'), [{ pointer: '/s/endsAt', message: 'must be after startsAt' }])
  t.same(silenceProblems({ endsAt: '2025-02-29T10:00:00Z' }, '/s'), [
    { pointer: '/s/endsAt', message: 'is not a real date and time (got "2025-02-29T10:00:00Z")' }
  ])
  t.same(silenceProblems({ endsAt: 'soon' }, '/s'), [], 'a wrong shape is left to the schema')
  t.same(silenceProblems({ endsAt: '2000-01-01T00:00:00Z' }, '/s'), [], 'an expired silence is fine')
})
