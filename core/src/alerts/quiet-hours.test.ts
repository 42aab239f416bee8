import t from 'tap'
import { inQuietHours, localMinutes, quietHoursEnd, quietHoursProblems } from './quiet-hours.js'

const T = (iso: string): number => Date.parse(iso)

t.test('localMinutes reads the wall clock of the zone', async (t) => {
  t.equal(localMinutes(T('2025-01-10T05:30:00Z')), 5 * 60 + 30)
  t.equal(localMinutes(T('2025-01-10T05:30:00Z'), 'Europe/Paris'), 6 * 60 + 30, 'CET')
  t.equal(localMinutes(T('2025-07-10T05:30:00Z'), 'Europe/Paris'), 7 * 60 + 30, 'CEST')
  t.equal(localMinutes(T('2025-01-10T05:00:00Z'), 'America/New_York'), 0, 'midnight is minute 0')
  t.equal(localMinutes(T('2025-01-10T05:30:00Z'), 'Asia/Kolkata'), 11 * 60, 'half-hour offset')
})

t.test('quiet hours that cross midnight, in the zone', async (t) => {
  const q = { start: '22:00', end: '07:00', timezone: 'Europe/Paris' }
  t.ok(inQuietHours(q, T('2025-01-10T21:00:00Z')), '22:00 local: start is inclusive')
  t.ok(inQuietHours(q, T('2025-01-10T23:30:00Z')), '00:30 local')
  t.ok(inQuietHours(q, T('2025-01-11T05:59:00Z')), '06:59 local')
  t.notOk(inQuietHours(q, T('2025-01-11T06:00:00Z')), '07:00 local: end is exclusive')
  t.notOk(inQuietHours(q, T('2025-01-10T20:59:00Z')), '21:59 local')
  // Summer time: the same UTC instant is an hour later locally.
  t.notOk(inQuietHours(q, T('2025-07-11T05:30:00Z')), '07:30 CEST')
  t.ok(inQuietHours(q, T('2025-07-11T04:30:00Z')), '06:30 CEST')
})

t.test('quiet hours within one day, UTC by default', async (t) => {
  const q = { start: '12:00', end: '13:30' }
  t.ok(inQuietHours(q, T('2025-01-10T12:00:00Z')))
  t.ok(inQuietHours(q, T('2025-01-10T13:29:00Z')))
  t.notOk(inQuietHours(q, T('2025-01-10T13:30:00Z')))
  t.notOk(inQuietHours(q, T('2025-01-10T11:59:00Z')))
  t.notOk(inQuietHours({ start: '09:00', end: '09:00' }, T('2025-01-10T09:00:00Z')), 'equal times: never')
  t.throws(() => inQuietHours({ start: '9:00', end: '10:00' }, 0), TypeError)
})

t.test('quietHoursEnd: when held-back notifications may go out', async (t) => {
  const q = { start: '22:00', end: '07:00', timezone: 'America/New_York' }
  t.equal(quietHoursEnd(q, T('2025-01-11T03:00:00Z')), T('2025-01-11T12:00:00Z'), '22:00 EST → 07:00 EST next morning')
  t.equal(quietHoursEnd(q, T('2025-01-11T15:00:00Z')), undefined, 'not in quiet hours')
  // Across the spring-forward night the end is 07:00 EDT, 11:00Z.
  t.equal(quietHoursEnd(q, T('2025-03-09T04:00:00Z')), T('2025-03-09T11:00:00Z'))
})

t.test('quietHoursProblems', async (t) => {
  t.same(quietHoursProblems({ start: '22:00', end: '07:00', timezone: 'Europe/Paris' }, '/q'), [])
  t.same(quietHoursProblems({ start: '22:00', end: '22:00' }, '/q'), [
    { pointer: '/q/end', message: 'must differ from start (equal times would make the quiet hours empty)' }
  ])
  t.match(quietHoursProblems({ start: '22:00', end: '07:00', timezone: 'Nowhere/Land' }, '/q'), [{ pointer: '/q/timezone', message: /IANA time zone/ }])
})
