import type { MonitorStatus } from '../check-result.js'
import type { Incident } from '../storage.js'

/** What a state change does to a monitor's incident. */
export type IncidentAction =
  | { kind: 'open'; status: Incident['status'] }
  | { kind: 'raise' }
  | { kind: 'close' }
  | { kind: 'none' }

/**
 * The incident rules every store applies the same way: entering `down` or
 * `degraded` opens an incident unless one is open; while open, `down` raises a
 * `degraded` incident (taking the new reason, so status and reason describe the
 * same thing); entering `up`, `paused` or `maintenance` closes it. `pending`
 * (a reset, e.g. after a config change) leaves an open incident alone: nothing
 * is known yet about whether the problem went away.
 */
export function incidentAction(open: Incident['status'] | undefined, to: MonitorStatus): IncidentAction {
  switch (to) {
    case 'down':
    case 'degraded':
      if (open === undefined) return { kind: 'open', status: to }
      return open === 'degraded' && to === 'down' ? { kind: 'raise' } : { kind: 'none' }
    case 'up':
    case 'paused':
    case 'maintenance':
      return open === undefined ? { kind: 'none' } : { kind: 'close' }
    case 'pending':
      return { kind: 'none' }
  }
}
