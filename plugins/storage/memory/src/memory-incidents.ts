import { decodeCursor, encodeCursor, incidentAction, incidentFilter, pageLimit } from '@vedette/sdk'
import type { Incident, IncidentQuery, Page, StateChangeEvent } from '@vedette/sdk'
import type { Series, StoredIncident, TenantData } from './memory-series.js'

/** Opens, raises or closes the series' incident for a transition (the storage kit's rules); `nextSeq` hands out ids. */
export function applyIncidentChange(series: Series, e: StateChangeEvent, nextSeq: () => number): void {
  const last = series.incidents[series.incidents.length - 1]
  const open = last !== undefined && last.incident.endedAt === undefined ? last.incident : undefined
  const action = incidentAction(open?.status, e.to)
  if (action.kind === 'open') {
    const seq = nextSeq()
    const incident: Incident = { id: String(seq), tenantId: e.tenantId, monitorId: e.monitorId, status: action.status, reason: e.reason, startedAt: e.at }
    series.incidents.push({ seq, incident })
  } else if (action.kind === 'raise' && open !== undefined) {
    open.status = 'down'
    open.reason = e.reason
  } else if (action.kind === 'close' && open !== undefined) {
    open.endedAt = e.at
  }
}

/** One page of a tenant's incidents, newest first by (startedAt, seq). */
export function incidentPage(tenant: TenantData | undefined, query: IncidentQuery | undefined): Page<Incident> {
  const limit = pageLimit(query)
  const { monitorId, open } = incidentFilter(query)
  const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'incidents', ['number', 'number'])
  if (tenant === undefined) return { items: [] }
  const pool: Series[] = monitorId === undefined ? [...tenant.series.values()] : [tenant.series.get(monitorId)].filter((s) => s !== undefined)
  // Incidents are few, so filter and sort per call.
  const newerFirst = (a: StoredIncident, b: StoredIncident): number => b.incident.startedAt - a.incident.startedAt || b.seq - a.seq
  const matches = pool
    .flatMap((s) => s.incidents)
    .filter((x) => open === undefined || (x.incident.endedAt === undefined) === open)
    .filter((x) => after === undefined || x.incident.startedAt < after[0] || (x.incident.startedAt === after[0] && x.seq < after[1]))
    .sort(newerFirst)
  const page = matches.slice(0, limit)
  const items = page.map((x) => structuredClone(x.incident))
  const last = page[page.length - 1]
  return matches.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('incidents', [last.incident.startedAt, last.seq]) } : { items }
}
