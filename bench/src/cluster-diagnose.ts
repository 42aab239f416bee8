/**
 * What the shared store holds after the storm, read straight from the bench's
 * PostgreSQL schema before it is dropped: the outbox by state and lease (items
 * nobody sent), alerts by status, and open-alert claims whose alert document
 * is missing (a dedup key taken by an alert that was never stored keeps the
 * monitor from ever alerting again).
 */
import pg from 'pg'
import { PG_URL } from './cluster-rig.js'

export interface StoreDiagnosis {
  outbox: Array<{ state: string; owner: string; leased: boolean; due: boolean; items: number }>
  alerts: Array<{ status: string; alerts: number }>
  openClaims: number
  claimsWithoutAlert: number
  monitorStates: number
}

export async function diagnoseStore(schema: string): Promise<StoreDiagnosis> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    const now = Date.now()
    const s = `"${schema}"`
    const outbox = await client.query<{ state: string; owner: string; leased: boolean; due: boolean; items: string }>(
      `SELECT state, coalesce(lease_owner, '-') AS owner, coalesce(lease_until > $1, false) AS leased, next_attempt_at <= $1 AS due, count(*) AS items
       FROM ${s}.outbox GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [now]
    )
    const alerts = await client.query<{ status: string; alerts: string }>(`SELECT doc->>'status' AS status, count(*) AS alerts FROM ${s}.documents WHERE collection = 'alerts' GROUP BY 1 ORDER BY 1`)
    const claims = await client.query<{ claims: string; orphans: string }>(
      `SELECT count(*) AS claims, count(*) FILTER (WHERE NOT EXISTS (
         SELECT 1 FROM ${s}.documents a WHERE a.collection = 'alerts' AND a.tenant_id = o.tenant_id AND a.id = o.doc->>'alertId')) AS orphans
       FROM ${s}.documents o WHERE o.collection = 'alerts-open'`
    )
    const states = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.monitor_states`)
    return {
      outbox: outbox.rows.map((r) => ({ state: r.state, owner: r.owner, leased: r.leased, due: r.due, items: Number(r.items) })),
      alerts: alerts.rows.map((r) => ({ status: r.status, alerts: Number(r.alerts) })),
      openClaims: Number(claims.rows[0]?.claims ?? 0),
      claimsWithoutAlert: Number(claims.rows[0]?.orphans ?? 0),
      monitorStates: Number(states.rows[0]?.n ?? 0)
    }
  } finally {
    await client.end()
  }
}

export function printDiagnosis(d: StoreDiagnosis, monitors: number): void {
  console.log('\nThe shared store after the storm (PostgreSQL, read directly):')
  console.log(`  outbox: ${d.outbox.map((r) => `${r.items.toLocaleString('en-US')} ${r.state}${r.state === 'pending' ? ` (lease ${r.owner}${r.leased ? ', held' : r.owner === '-' ? '' : ', expired'}${r.due ? ', due' : ', not due yet'})` : ''}`).join('; ') || 'empty'}`)
  console.log(`  alerts: ${d.alerts.map((r) => `${r.alerts.toLocaleString('en-US')} ${r.status}`).join(', ') || 'none'}; open claims ${d.openClaims.toLocaleString('en-US')}, of which without an alert document: ${d.claimsWithoutAlert.toLocaleString('en-US')}`)
  console.log(`  monitor states stored: ${d.monitorStates.toLocaleString('en-US')} of ${monitors.toLocaleString('en-US')} monitors`)
}
