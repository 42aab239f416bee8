import type { Incident, MonitorRecord, MonitorStatus, StateChangeEvent } from '@vedette/sdk'
import type { IncidentRow, MonitorRow, TransitionRow } from './statements.js'

// Row → record mapping for the small tables. Results have their own codec.

export function toMonitor(tenantId: string, row: MonitorRow): MonitorRecord {
  const [id, name, type, enabled, tags, definition, createdAt, updatedAt] = row
  return {
    tenantId,
    id,
    name,
    type,
    enabled: enabled === 1,
    tags: JSON.parse(tags) as string[],
    definition: JSON.parse(definition) as Record<string, unknown>,
    createdAt,
    updatedAt
  }
}

export function toTransition(tenantId: string, monitorId: string, row: TransitionRow): StateChangeEvent {
  const [, at, from, to, reason] = row
  return { tenantId, monitorId, from: from as MonitorStatus, to: to as MonitorStatus, reason, at }
}

export function toIncident(tenantId: string, row: IncidentRow): Incident {
  const [id, monitorId, status, reason, startedAt, endedAt] = row
  const incident: Incident = { id: String(id), tenantId, monitorId, status: status as Incident['status'], reason, startedAt }
  if (endedAt !== null) incident.endedAt = endedAt
  return incident
}
