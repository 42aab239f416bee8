import t from 'tap'
import { incidentAction } from './incident-rules.js'

t.test('opening, raising and closing', async (t) => {
  t.same(incidentAction(undefined, 'degraded'), { kind: 'open', status: 'degraded' })
  t.same(incidentAction(undefined, 'down'), { kind: 'open', status: 'down' })
  t.same(incidentAction('degraded', 'down'), { kind: 'raise' })
  t.same(incidentAction('down', 'degraded'), { kind: 'none' }, 'an incident keeps its worst status')
  for (const to of ['up', 'paused', 'maintenance'] as const) {
    t.same(incidentAction('down', to), { kind: 'close' }, to)
    t.same(incidentAction(undefined, to), { kind: 'none' }, `${to} with nothing open`)
  }
  t.same(incidentAction('down', 'pending'), { kind: 'none' }, 'a reset leaves the incident open')
})
