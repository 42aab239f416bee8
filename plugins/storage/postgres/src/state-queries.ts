import type pg from 'pg'
import { decodeCursor, encodeCursor, incidentAction, incidentFilter, pageLimit, timeRange } from '@vedette/sdk'
import type { Incident, IncidentQuery, MonitorState, MonitorStatus, Page, StateChangeEvent, TimeRangeQuery } from '@vedette/sdk'
import { transaction } from './pool.js'
import type { SchemaNames } from './schema-names.js'
import { afterCondition, orderBy, rangeCondition } from './sql-paging.js'

type TransitionRow = [id: number, at: number, from: string, to: string, reason: string]
type IncidentRow = [id: number, monitorId: string, status: string, reason: string, startedAt: number, endedAt: number | null]

/** Transitions, kept states and the incidents they open, raise and close. */
export class StateQueries {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames

  constructor(pool: pg.Pool, names: SchemaNames) {
    this.#pool = pool
    this.#n = names
  }

  /**
   * One transaction: the transition, the kept state, and the incident change.
   * The state upsert comes first because it locks the monitor's state row:
   * two nodes recording changes for one monitor take turns, so they cannot
   * both open an incident.
   */
  async record(e: StateChangeEvent): Promise<void> {
    const n = this.#n
    await transaction(this.#pool, async (client) => {
      await client.query(
        `INSERT INTO ${n.states} (tenant_id, monitor_id, status, since, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, monitor_id) DO UPDATE SET status = excluded.status, since = excluded.since, reason = excluded.reason`,
        [e.tenantId, e.monitorId, e.to, e.at, e.reason]
      )
      await client.query(
        `INSERT INTO ${n.transitions} (tenant_id, monitor_id, at, from_status, to_status, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
        [e.tenantId, e.monitorId, e.at, e.from, e.to, e.reason]
      )
      const open = await client.query<{ id: number; status: Incident['status'] }>(
        `SELECT id, status FROM ${n.incidents} WHERE tenant_id = $1 AND monitor_id = $2 AND ended_at IS NULL`,
        [e.tenantId, e.monitorId]
      )
      const current = open.rows[0]
      const action = incidentAction(current?.status, e.to)
      if (action.kind === 'open') {
        await client.query(`INSERT INTO ${n.incidents} (tenant_id, monitor_id, status, reason, started_at) VALUES ($1, $2, $3, $4, $5)`, [
          e.tenantId,
          e.monitorId,
          action.status,
          e.reason,
          e.at
        ])
      } else if (action.kind === 'raise' && current !== undefined) {
        await client.query(`UPDATE ${n.incidents} SET status = 'down', reason = $2 WHERE id = $1`, [current.id, e.reason])
      } else if (action.kind === 'close' && current !== undefined) {
        await client.query(`UPDATE ${n.incidents} SET ended_at = $2 WHERE id = $1`, [current.id, e.at])
      }
    })
  }

  async transitions(tenantId: string, monitorId: string, query?: TimeRangeQuery): Promise<Page<StateChangeEvent>> {
    const range = timeRange(query)
    const limit = pageLimit(query)
    const kind = `transitions:${range.order}`
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, kind, ['number', 'number'])
    const bounds = rangeCondition('at', range, 4)
    const params: unknown[] = [tenantId, monitorId, limit + 1, ...bounds.params]
    let sql = `SELECT id, at, from_status, to_status, reason FROM ${this.#n.transitions} WHERE tenant_id = $1 AND monitor_id = $2${bounds.sql}`
    if (after !== undefined) {
      sql += afterCondition('at', 'id', range.order, params.length + 1)
      params.push(after[0], after[1])
    }
    sql += `${orderBy('at', 'id', range.order)} LIMIT $3`
    const { rows } = await this.#pool.query<TransitionRow>({ text: sql, values: params, rowMode: 'array' })
    const page = rows.slice(0, limit)
    const items = page.map(([, at, from, to, reason]): StateChangeEvent => ({
      tenantId,
      monitorId,
      from: from as MonitorStatus,
      to: to as MonitorStatus,
      reason,
      at
    }))
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(kind, [last[1], last[0]]) } : { items }
  }

  async states(tenantId: string): Promise<MonitorState[]> {
    const { rows } = await this.#pool.query<[string, string, number, string]>({
      text: `SELECT monitor_id, status, since, reason FROM ${this.#n.states} WHERE tenant_id = $1 ORDER BY monitor_id`,
      values: [tenantId],
      rowMode: 'array'
    })
    return rows.map(([monitorId, status, since, reason]) => ({ tenantId, monitorId, status: status as MonitorStatus, since, reason }))
  }

  /** Newest first, ties by id (newest id first), optionally one monitor's and open or closed only. */
  async incidents(tenantId: string, query?: IncidentQuery): Promise<Page<Incident>> {
    const limit = pageLimit(query)
    const { monitorId, open } = incidentFilter(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'incidents', ['number', 'number'])
    const params: unknown[] = [tenantId, limit + 1]
    let sql = `SELECT id, monitor_id, status, reason, started_at, ended_at FROM ${this.#n.incidents} WHERE tenant_id = $1`
    if (monitorId !== undefined) sql += ` AND monitor_id = $${params.push(monitorId)}`
    if (open !== undefined) sql += open ? ' AND ended_at IS NULL' : ' AND ended_at IS NOT NULL'
    if (after !== undefined) {
      sql += afterCondition('started_at', 'id', 'desc', params.length + 1)
      params.push(after[0], after[1])
    }
    sql += `${orderBy('started_at', 'id', 'desc')} LIMIT $2`
    const { rows } = await this.#pool.query<IncidentRow>({ text: sql, values: params, rowMode: 'array' })
    const page = rows.slice(0, limit)
    const items = page.map(([id, monitor, status, reason, startedAt, endedAt]) => {
      const incident: Incident = { id: String(id), tenantId, monitorId: monitor, status: status as Incident['status'], reason, startedAt }
      if (endedAt !== null) incident.endedAt = endedAt
      return incident
    })
    const last = page[page.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('incidents', [last[4], last[0]]) } : { items }
  }
}
