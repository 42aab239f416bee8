import t from 'tap'
import type { MaintenanceInput } from './alerting-types.js'
import { activeMaintenance, activeWindow, maintenanceProblems, nextChange, normalizeMaintenance, weekdaysToCron } from './maintenance-windows.js'

const T = (iso: string): number => Date.parse(iso)
const H = 3_600_000
const win = (extra: Partial<MaintenanceInput>) => normalizeMaintenance({ id: 'w', monitors: {}, mode: 'suppress', ...extra })

t.test('weekdays + time become a cron expression', async (t) => {
  t.equal(weekdaysToCron(['mon', 'fri'], '23:30'), '30 23 * * 1,5')
  t.equal(weekdaysToCron(['sat', 'sun', 'sat'], '00:05'), '5 0 * * 0,6')
  t.throws(() => weekdaysToCron(['mon'], '24:00'), TypeError)
  t.throws(() => weekdaysToCron([], '10:00'), TypeError)
})

t.test('normalizeMaintenance resolves the schedule', async (t) => {
  t.same(win({ weekdays: ['sat'], time: '23:00', duration: '3h', timezone: 'america/new_york', comment: 'patching' }), {
    id: 'w',
    selector: {},
    mode: 'suppress',
    schedule: { kind: 'recurring', cron: '0 23 * * 6', timezone: 'America/New_York', durationMs: 3 * H },
    comment: 'patching'
  })
  t.same(win({ cron: ' 0 2 * * * ', duration: '30m' }).schedule, { kind: 'recurring', cron: '0 2 * * *', timezone: 'UTC', durationMs: 1_800_000 })
  t.same(win({ startsAt: '2025-06-01T22:00:00+02:00', endsAt: 1748818800000 }).schedule, { kind: 'once', startsAt: T('2025-06-01T20:00:00Z'), endsAt: 1748818800000 })
  t.throws(() => win({ cron: '0 2 * * *' }), { name: 'TypeError', message: /needs startsAt and endsAt/ })
})

// 2025-01-11 is a Saturday; New York is UTC-5 in January.
const forms: Array<[string, Partial<MaintenanceInput>]> = [
  ['weekdays + time', { weekdays: ['sat'], time: '23:00' }],
  ['cron', { cron: '0 23 * * 6' }]
]
for (const [label, extra] of forms) {
  t.test(`a Saturday 23:00 New York window of 3h (${label}) runs past local midnight`, async (t) => {
    const w = win({ ...extra, duration: '3h', timezone: 'America/New_York' })
    const span = { start: T('2025-01-12T04:00:00Z'), end: T('2025-01-12T07:00:00Z') }
    t.equal(activeWindow(w, T('2025-01-12T03:59:59Z')), undefined, 'Saturday 22:59 local')
    t.same(activeWindow(w, T('2025-01-12T04:00:00Z')), span, 'Saturday 23:00 local: opens exactly then')
    t.same(activeWindow(w, T('2025-01-12T06:30:00Z')), span, 'Sunday 01:30 local')
    t.equal(activeWindow(w, T('2025-01-12T07:00:00Z')), undefined, 'Sunday 02:00 local: closed')
    t.equal(activeWindow(w, T('2025-01-12T07:30:00Z')), undefined, 'Sunday 02:30 local')
    t.equal(activeWindow(w, T('2025-01-12T03:30:00Z')), undefined, 'Friday night is not Saturday')
    t.equal(nextChange(w, T('2025-01-11T17:00:00Z')), span.start, 'Saturday noon: next start')
    t.equal(nextChange(w, T('2025-01-12T06:30:00Z')), span.end, 'inside: its end')
    t.equal(nextChange(w, span.end), T('2025-01-19T04:00:00Z'), 'at the end: next Saturday')
  })
}

t.test('New York spring-forward night: 23:00 local + 3h of elapsed time ends 03:00 EDT', async (t) => {
  // 2025-03-09 02:00 EST → 03:00 EDT.
  const w = win({ weekdays: ['sat'], time: '23:00', duration: '3h', timezone: 'America/New_York' })
  const span = { start: T('2025-03-09T04:00:00Z'), end: T('2025-03-09T07:00:00Z') }
  t.same(activeWindow(w, T('2025-03-09T06:59:00Z')), span, '01:59 EST')
  t.equal(activeWindow(w, T('2025-03-09T07:00:00Z')), undefined, '03:00 EDT')
  // The next Saturday 23:00 is EDT (UTC-4): 03:00Z.
  t.equal(nextChange(w, span.end), T('2025-03-16T03:00:00Z'))
})

t.test('Europe/Paris windows over the March DST jump (2025-03-30 02:00 CET → 03:00 CEST)', async (t) => {
  const night = win({ weekdays: ['sat'], time: '23:00', duration: '4h', timezone: 'Europe/Paris' })
  const span = { start: T('2025-03-29T22:00:00Z'), end: T('2025-03-30T02:00:00Z') }
  t.same(activeWindow(night, T('2025-03-30T01:30:00Z')), span, '03:30 CEST: open, started 23:00 CET')
  t.equal(activeWindow(night, T('2025-03-30T02:30:00Z')), undefined, '04:30 CEST: closed after 4h')

  // 02:30 does not exist that night: the window opens right after the jump, at 03:30 CEST.
  const daily = win({ cron: '30 2 * * *', duration: '1h', timezone: 'Europe/Paris' })
  t.equal(nextChange(daily, T('2025-03-29T23:00:00Z')), T('2025-03-30T01:30:00Z'))
  t.same(activeWindow(daily, T('2025-03-30T01:45:00Z')), { start: T('2025-03-30T01:30:00Z'), end: T('2025-03-30T02:30:00Z') })
  t.same(activeWindow(daily, T('2025-03-29T01:45:00Z')), { start: T('2025-03-29T01:30:00Z'), end: T('2025-03-29T02:30:00Z') }, 'the day before, CET')
  t.same(activeWindow(daily, T('2025-03-31T00:45:00Z')), { start: T('2025-03-31T00:30:00Z'), end: T('2025-03-31T01:30:00Z') }, 'the day after, CEST')
})

t.test('Europe/Paris October fall-back: a time that happens twice opens the window once', async (t) => {
  // 2025-10-26 03:00 CEST → 02:00 CET, so 02:30 local is 00:30Z and again 01:30Z.
  const daily = win({ cron: '30 2 * * *', duration: '30m', timezone: 'Europe/Paris' })
  t.same(activeWindow(daily, T('2025-10-26T00:40:00Z')), { start: T('2025-10-26T00:30:00Z'), end: T('2025-10-26T01:00:00Z') })
  t.equal(activeWindow(daily, T('2025-10-26T01:40:00Z')), undefined, 'second 02:40: still closed')
  t.equal(nextChange(daily, T('2025-10-26T01:00:00Z')), T('2025-10-27T01:30:00Z'), 'next: Monday 02:30 CET')
  t.equal(nextChange(daily, T('2025-10-26T00:00:00Z')), T('2025-10-26T00:30:00Z'))
  // An hourly window is another matter: the repeated hour is a real hour, so it opens in both.
  const hourly = win({ cron: '30 * * * *', duration: '10m', timezone: 'Europe/Paris' })
  t.same(activeWindow(hourly, T('2025-10-26T00:35:00Z')), { start: T('2025-10-26T00:30:00Z'), end: T('2025-10-26T00:40:00Z') })
  t.same(activeWindow(hourly, T('2025-10-26T01:35:00Z')), { start: T('2025-10-26T01:30:00Z'), end: T('2025-10-26T01:40:00Z') })
  t.equal(nextChange(hourly, T('2025-10-26T00:40:00Z')), T('2025-10-26T01:30:00Z'))
})

t.test('a window across local midnight east of UTC (Asia/Tokyo, UTC+9)', async (t) => {
  // Monday 2025-01-13 23:30 JST = 14:30Z, for 1h: until Tuesday 00:30 JST.
  const w = win({ weekdays: ['mon'], time: '23:30', duration: '1h', timezone: 'Asia/Tokyo' })
  t.same(activeWindow(w, T('2025-01-13T15:00:00Z')), { start: T('2025-01-13T14:30:00Z'), end: T('2025-01-13T15:30:00Z') }, 'Tuesday 00:00 JST')
  t.equal(activeWindow(w, T('2025-01-13T23:40:00Z')), undefined, 'Monday 23:40 UTC is Tuesday morning in Tokyo')
})

t.test('overlapping openings: the latest one is reported', async (t) => {
  const w = win({ cron: '0 * * * *', duration: '90m' })
  t.same(activeWindow(w, T('2025-01-01T10:45:00Z')), { start: T('2025-01-01T10:00:00Z'), end: T('2025-01-01T11:30:00Z') })
  t.equal(nextChange(w, T('2025-01-01T10:45:00Z')), T('2025-01-01T11:30:00Z'))
})

t.test('one-off windows', async (t) => {
  const w = win({ startsAt: '2025-06-01T22:00:00Z', endsAt: '2025-06-02T02:00:00Z' })
  const span = { start: T('2025-06-01T22:00:00Z'), end: T('2025-06-02T02:00:00Z') }
  t.equal(activeWindow(w, span.start - 1), undefined)
  t.same(activeWindow(w, span.start), span)
  t.equal(activeWindow(w, span.end), undefined)
  t.equal(nextChange(w, 0), span.start)
  t.equal(nextChange(w, span.start), span.end)
  t.equal(nextChange(w, span.end), undefined, 'never again')
})

t.test('activeMaintenance: open windows covering the monitor', async (t) => {
  const windows = [
    normalizeMaintenance({ id: 'db', monitors: { tags: ['db'] }, mode: 'pause', startsAt: 0, endsAt: 10 }),
    normalizeMaintenance({ id: 'all-later', monitors: {}, mode: 'suppress', startsAt: 5, endsAt: 10 })
  ]
  t.same(activeMaintenance(windows, { id: 'pg', tags: ['db'] }, 1).map((m) => [m.window.id, m.start, m.end]), [['db', 0, 10]])
  t.same(activeMaintenance(windows, { id: 'api', tags: [] }, 1), [])
  t.same(activeMaintenance(windows, { id: 'api', tags: [] }, 5).map((m) => m.window.id), ['all-later'])
})

t.test('maintenanceProblems', async (t) => {
  const at = '/alerts/maintenance/0'
  const p = (m: Record<string, unknown>) => maintenanceProblems(m, at).map((e) => `${e.pointer}: ${e.message}`)
  t.same(p({ weekdays: ['sat'], time: '23:00', duration: '3h', timezone: 'Europe/Paris' }), [])
  t.same(p({ cron: '0 2 * * *', duration: '1h' }), [])
  t.same(p({ startsAt: '2025-06-01T22:00:00Z', endsAt: '2025-06-02T02:00:00Z' }), [])
  t.match(p({}), [/^\/alerts\/maintenance\/0: needs a schedule/])
  t.match(p({ cron: '0 2 * * *', startsAt: 0, endsAt: 5, duration: '1h' }), [/has more than one schedule/])
  t.same(p({ cron: '0 2 * * *' }), [`${at}/duration: is required with cron`])
  t.same(p({ weekdays: ['mon'], duration: '1h' }), [`${at}/time: is required with weekdays and duration`])
  t.same(p({ startsAt: 0 }), [`${at}/endsAt: is required with startsAt`])
  t.same(p({ startsAt: 10, endsAt: 10 }), [`${at}/endsAt: must be after startsAt`])
  t.same(p({ startsAt: 0, endsAt: 10, timezone: 'UTC' }), [`${at}/timezone: only applies to recurring windows (cron or weekdays + time)`])
  t.same(p({ cron: '0 2 * * *', duration: '0s' }), [`${at}/duration: must be greater than 0`])
  t.match(p({ cron: '0 2 * * *', duration: '1h', timezone: 'Mars/Olympus' }), [/timezone: must be an IANA time zone/])
  t.match(p({ cron: '0 2 * *', duration: '1h' }), [/cron: is not a valid cron expression: expected 5 fields/])
  t.match(p({ cron: '0 0 30 2 *', duration: '1h' }), [/cron: is not a valid cron expression/])
})

t.test('answers stay right when asked about times in any order (results are cached per schedule)', async (t) => {
  const w = win({ cron: '30 2 * * *', duration: '45m', timezone: 'Europe/Paris' })
  const fresh = () => ({ schedule: { ...w.schedule } }) // a new object: nothing cached
  const start = T('2025-03-28T00:00:00Z')
  const times = Array.from({ length: 120 }, (_, i) => start + ((i * 7919) % 120) * 50 * 60_000) // 100 hours over the DST night, shuffled
  let mismatches = 0
  for (const now of [...times, ...times.toSorted((a, b) => a - b)]) {
    const f = fresh()
    if (JSON.stringify(activeWindow(w, now)) !== JSON.stringify(activeWindow(f, now))) mismatches++
    if (nextChange(w, now) !== nextChange(f, now)) mismatches++
  }
  t.equal(mismatches, 0)
})
