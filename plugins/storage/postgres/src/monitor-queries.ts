import type pg from 'pg'
import { decodeCursor, encodeCursor, pageLimit } from '@vedette/sdk'
import type { MonitorRecord, Page, PageQuery } from '@vedette/sdk'
import { transaction } from './pool.js'
import type { SchemaNames } from './schema-names.js'

type MonitorRow = [id: string, name: string, type: string, enabled: boolean, tags: string[], definition: Record<string, unknown>, createdAt: number, updatedAt: number]

const COLUMNS = 'id, name, type, enabled, tags, definition, created_at, updated_at'
/** Monitors per INSERT statement in putMonitors (100,000 go in chunks, one transaction). */
const CHUNK = 5_000

/** Monitor records: one row each, definition as jsonb. */
export class MonitorQueries {
  readonly #pool: pg.Pool
  readonly #n: SchemaNames
  readonly #upsert: string

  constructor(pool: pg.Pool, names: SchemaNames) {
    this.#pool = pool
    this.#n = names
    // tags travel as one JSON array per monitor (unnest cannot take an array
    // of arrays) and become text[] in the order given.
    this.#upsert = `INSERT INTO ${names.monitors} (tenant_id, ${COLUMNS})
      SELECT t, i, nm, ty, en,
        ARRAY(SELECT x FROM jsonb_array_elements_text(tg) WITH ORDINALITY AS e(x, o) ORDER BY o), d, ca, ua
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::jsonb[], $7::jsonb[], $8::bigint[], $9::bigint[])
        AS u(t, i, nm, ty, en, tg, d, ca, ua)
      ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, type = excluded.type, enabled = excluded.enabled,
        tags = excluded.tags, definition = excluded.definition, created_at = excluded.created_at, updated_at = excluded.updated_at`
  }

  /** Upserts all in one transaction; the last record wins when an id repeats. */
  async put(monitors: readonly MonitorRecord[]): Promise<void> {
    // ON CONFLICT cannot touch one row twice in a statement: keep the last of each id.
    const unique = new Map<string, MonitorRecord>()
    for (const m of monitors) unique.set(JSON.stringify([m.tenantId, m.id]), m)
    const all = [...unique.values()]
    const run = async (client: pg.Pool | pg.PoolClient, chunk: MonitorRecord[]): Promise<void> => {
      await client.query(this.#upsert, [
        chunk.map((m) => m.tenantId),
        chunk.map((m) => m.id),
        chunk.map((m) => m.name),
        chunk.map((m) => m.type),
        chunk.map((m) => m.enabled),
        chunk.map((m) => JSON.stringify(m.tags)),
        chunk.map((m) => JSON.stringify(m.definition)),
        chunk.map((m) => m.createdAt),
        chunk.map((m) => m.updatedAt)
      ])
    }
    if (all.length <= CHUNK) return run(this.#pool, all)
    await transaction(this.#pool, async (client) => {
      for (let i = 0; i < all.length; i += CHUNK) await run(client, all.slice(i, i + CHUNK))
    })
  }

  async get(tenantId: string, id: string): Promise<MonitorRecord | undefined> {
    const { rows } = await this.#pool.query<MonitorRow>({
      text: `SELECT ${COLUMNS} FROM ${this.#n.monitors} WHERE tenant_id = $1 AND id = $2`,
      values: [tenantId, id],
      rowMode: 'array'
    })
    return rows[0] === undefined ? undefined : toMonitor(tenantId, rows[0])
  }

  async list(tenantId: string, query?: PageQuery): Promise<Page<MonitorRecord>> {
    const limit = pageLimit(query)
    const after = query?.cursor === undefined ? undefined : decodeCursor(query.cursor, 'monitors', ['string'])[0]
    const { rows } = await this.#pool.query<MonitorRow>({
      text: `SELECT ${COLUMNS} FROM ${this.#n.monitors} WHERE tenant_id = $1${after === undefined ? '' : ' AND id > $3'} ORDER BY id LIMIT $2`,
      values: after === undefined ? [tenantId, limit + 1] : [tenantId, limit + 1, after],
      rowMode: 'array'
    })
    const items = rows.slice(0, limit).map((row) => toMonitor(tenantId, row))
    const last = items[items.length - 1]
    return rows.length > limit && last !== undefined ? { items, nextCursor: encodeCursor('monitors', [last.id]) } : { items }
  }

  /**
   * Removes the record and every row about the monitor, in one transaction;
   * true when anything was removed. `extraTables` are deleted from too (the
   * rollup tables).
   */
  async delete(tenantId: string, id: string, extraTables: readonly string[] = []): Promise<boolean> {
    const n = this.#n
    return transaction(this.#pool, async (client) => {
      let removed = 0
      for (const table of [n.results, n.latest, n.transitions, n.states, n.incidents, ...extraTables]) {
        removed += (await client.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND monitor_id = $2`, [tenantId, id])).rowCount ?? 0
      }
      removed += (await client.query(`DELETE FROM ${n.monitors} WHERE tenant_id = $1 AND id = $2`, [tenantId, id])).rowCount ?? 0
      return removed > 0
    })
  }
}

function toMonitor(tenantId: string, [id, name, type, enabled, tags, definition, createdAt, updatedAt]: MonitorRow): MonitorRecord {
  return { tenantId, id, name, type, enabled, tags, definition, createdAt, updatedAt }
}
