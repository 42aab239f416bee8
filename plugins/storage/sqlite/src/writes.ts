import { assertResult, incidentAction } from '@vedette/sdk'
import type { CheckResult, Incident, StateChangeEvent } from '@vedette/sdk'
import type { NewestCache, ShapeRegistry } from './registry-caches.js'
import { encodeValues, STATUS_CODES, toMicros } from './result-codec.js'
import type { ResultRow, Statements } from './statements.js'

/** (tenant, monitor) → ref, inserting the ref when it is new. */
export type RefOf = (tenantId: string, monitorId: string) => number

/**
 * Writes a batch of results into `results_staged` (see result-staging.ts);
 * the caller runs it inside one transaction, so a result that fails
 * validation rolls the whole batch back. This is the hot path: one INSERT
 * per row (a TEMP trigger indexes it) and no per-row allocation beyond the
 * value string. Returns the earliest start time in the batch (for late-result
 * tracking; +Infinity when empty).
 *
 * seq is 0 unless the monitor already has a result at the same start time
 * (staged or merged); then it is one more than the highest there, so equal
 * start times keep arrival order. Results arrive newest-last per monitor, so
 * the cached newest (startedAt, seq) answers without a query; only a result
 * older than the newest asks the tables.
 */
export function writeResultBatch(
  sql: Statements,
  shapes: ShapeRegistry,
  refOf: RefOf,
  newest: NewestCache,
  nextId: () => number,
  batch: readonly CheckResult[]
): number {
  let earliest = Number.POSITIVE_INFINITY
  // Newest row per monitor in this batch: latest_results is upserted once per
  // monitor, not once per row.
  const top = new Map<number, ResultRow>()
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]
    assertResult(r, `result #${i} of the batch`)
    const ref = refOf(r.tenantId, r.monitorId)
    const startedAt = r.startedAt
    if (startedAt < earliest) earliest = startedAt
    const shape = shapes.forResult(r)
    const vals = encodeValues(r, shape)
    const status = STATUS_CODES[r.status]
    const latencyUs = toMicros(r.latencyMs)
    let known = top.get(ref) ?? newest.get(ref)
    if (known === undefined) newest.set(ref, (known = sql.latestKey.get(ref) ?? null))
    let seq = 0
    if (known !== null && startedAt <= known[0]) {
      seq = startedAt === known[0] ? known[1] + 1 : (sql.resultNextSeq.get(ref, startedAt, ref, startedAt) as number)
    }
    sql.stagedInsert.run(nextId(), ref, startedAt, seq, status, latencyUs, shape.id, vals)
    if (known === null || known[0] < startedAt || (known[0] === startedAt && known[1] < seq)) {
      top.set(ref, [startedAt, seq, status, latencyUs, shape.id, vals])
    }
  }
  for (const [ref, row] of top) {
    sql.latestUpsert.run(ref, ...row)
    newest.set(ref, [row[0], row[1]])
  }
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
