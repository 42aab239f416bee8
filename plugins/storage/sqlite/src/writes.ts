import { assertResult, incidentAction } from '@vedette/sdk'
import type { CheckResult, Incident, StateChangeEvent } from '@vedette/sdk'
import type { ShapeRegistry } from './registry-caches.js'
import { encodeValues, STATUS_CODES, toMicros } from './result-codec.js'
import type { ResultRow, Statements } from './statements.js'

/** (tenant, monitor) → ref, inserting the ref when it is new. */
export type RefOf = (tenantId: string, monitorId: string) => number

/**
 * Writes a batch of results; the caller runs it inside one transaction, so a
 * result that fails validation rolls the whole batch back. This is the hot
 * path: no per-row allocation beyond the value string. Returns the earliest
 * start time in the batch (for late-result tracking; +Infinity when empty).
 */
export function writeResultBatch(sql: Statements, shapes: ShapeRegistry, refOf: RefOf, batch: readonly CheckResult[]): number {
  let earliest = Number.POSITIVE_INFINITY
  // Newest row per monitor in this batch: latest_results is upserted once per
  // monitor, not once per row.
  const newest = new Map<number, ResultRow>()
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]
    assertResult(r, `result #${i} of the batch`)
    const ref = refOf(r.tenantId, r.monitorId)
    if (r.startedAt < earliest) earliest = r.startedAt
    const shape = shapes.forResult(r)
    const vals = encodeValues(r, shape)
    const status = STATUS_CODES[r.status]
    const latencyUs = toMicros(r.latencyMs)
    let seq = 0
    if (sql.resultInsert.run(ref, r.startedAt, 0, status, latencyUs, shape.id, vals).changes === 0) {
      // Same monitor, same start time: keep both, ordered by arrival.
      seq = sql.resultNextSeq.get(ref, r.startedAt) as number
      sql.resultInsert.run(ref, r.startedAt, seq, status, latencyUs, shape.id, vals)
    }
    const top = newest.get(ref)
    if (top === undefined || top[0] < r.startedAt || (top[0] === r.startedAt && top[1] < seq)) {
      newest.set(ref, [r.startedAt, seq, status, latencyUs, shape.id, vals])
    }
  }
  for (const [ref, row] of newest) sql.latestUpsert.run(ref, ...row)
  return earliest
}

/** Stores a transition, the kept state and the incident change it causes; run inside one transaction. */
export function applyTransition(sql: Statements, refOf: RefOf, e: StateChangeEvent): void {
  const ref = refOf(e.tenantId, e.monitorId)
  sql.transitionInsert.run(ref, e.at, e.from, e.to, e.reason)
  sql.stateUpsert.run(ref, e.to, e.at, e.reason)
  const open = sql.incidentOpen.get(ref)
  const action = incidentAction(open?.[1] as Incident['status'] | undefined, e.to)
  if (action.kind === 'open') sql.incidentInsert.run(ref, action.status, e.reason, e.at)
  else if (action.kind === 'raise' && open !== undefined) sql.incidentRaise.run(e.reason, open[0])
  else if (action.kind === 'close' && open !== undefined) sql.incidentClose.run(e.at, open[0])
}
