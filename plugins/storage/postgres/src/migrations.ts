import type pg from 'pg'
import { SchemaTooNewError } from './errors.js'
import { longQuery } from './pool.js'
import { LOCK_CLASS, lockObject, schemaNames, type SchemaNames } from './schema-names.js'

export interface Migration {
  version: number
  name: string
  sql: (n: SchemaNames) => string
}

// Ids and names compare byte-wise (COLLATE "C"): the storage contract orders
// monitor and document ids by code point, which is UTF-8 byte order. Times are
// bigint epoch milliseconds, the unit of every record in the contract.
const ID = 'text COLLATE "C" NOT NULL'

/**
 * Append only: a released migration never changes, or databases migrated by
 * it and new ones would disagree about what version N means.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'monitors, partitioned results, latest results, states, incidents, documents',
    sql: (n) => `
      CREATE TABLE ${n.monitors} (
        tenant_id ${ID},
        id ${ID},
        name text NOT NULL,
        type text NOT NULL,
        enabled boolean NOT NULL,
        tags text[] NOT NULL,
        definition jsonb NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (tenant_id, id)
      );

      -- Raw results, one partition per partitionInterval (see partitions.ts).
      -- seq orders results that share a start time by arrival; it is drawn
      -- per row from a sequence without a session cache, so it follows commit
      -- order across connections. Optional fields are json, not jsonb: json
      -- keeps the text as written, so phase and observation keys come back in
      -- the order the check produced them.
      CREATE SEQUENCE ${n.resultsSeq};
      CREATE TABLE ${n.results} (
        tenant_id ${ID},
        monitor_id ${ID},
        at bigint NOT NULL,
        seq bigint NOT NULL DEFAULT nextval('${n.resultsSeq}'),
        status smallint NOT NULL,
        latency_ms double precision NOT NULL,
        message text,
        reason text,
        phases json,
        metrics json,
        observations json
      ) PARTITION BY RANGE (at);
      CREATE INDEX results_by_monitor ON ${n.results} (tenant_id, monitor_id, at, seq);

      -- A copy of each monitor's newest result, upserted in the transaction that
      -- writes the batch: "latest of 100,000 monitors" reads one small table.
      CREATE TABLE ${n.latest} (
        tenant_id ${ID},
        monitor_id ${ID},
        at bigint NOT NULL,
        status smallint NOT NULL,
        latency_ms double precision NOT NULL,
        message text,
        reason text,
        phases json,
        metrics json,
        observations json,
        PRIMARY KEY (tenant_id, monitor_id)
      );

      -- One row per committed batch: replaying a batch whose COMMIT reply was
      -- lost with the connection finds its id here and writes nothing twice.
      CREATE TABLE ${n.batches} (
        id uuid PRIMARY KEY,
        rows integer NOT NULL,
        written_at bigint NOT NULL
      );
      CREATE INDEX result_batches_by_time ON ${n.batches} (written_at);

      CREATE TABLE ${n.transitions} (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id ${ID},
        monitor_id ${ID},
        at bigint NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL,
        reason text NOT NULL
      );
      -- id breaks ties between changes recorded in the same millisecond.
      CREATE INDEX transitions_by_monitor ON ${n.transitions} (tenant_id, monitor_id, at, id);

      CREATE TABLE ${n.states} (
        tenant_id ${ID},
        monitor_id ${ID},
        status text NOT NULL,
        since bigint NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (tenant_id, monitor_id)
      );

      -- Identity ids are never reused, even after a monitor and its incidents are deleted.
      CREATE TABLE ${n.incidents} (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id ${ID},
        monitor_id ${ID},
        status text NOT NULL,
        reason text NOT NULL,
        started_at bigint NOT NULL,
        ended_at bigint
      );
      CREATE INDEX incidents_by_tenant ON ${n.incidents} (tenant_id, started_at, id);
      CREATE INDEX incidents_by_monitor ON ${n.incidents} (tenant_id, monitor_id, started_at, id);
      CREATE UNIQUE INDEX incidents_open ON ${n.incidents} (tenant_id, monitor_id) WHERE ended_at IS NULL;

      CREATE TABLE ${n.documents} (
        tenant_id ${ID},
        collection ${ID},
        id ${ID},
        doc jsonb NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (tenant_id, collection, id)
      );
    `
  },
  {
    version: 2,
    name: 'notification outbox',
    sql: (n) => `
      -- notification is json (kept as rendered, key order included); attempts
      -- is jsonb because settling appends to it in SQL.
      CREATE TABLE ${n.outbox} (
        tenant_id ${ID},
        id ${ID},
        channel_id ${ID},
        alert_ids text[] NOT NULL,
        notification json NOT NULL,
        created_at bigint NOT NULL,
        next_attempt_at bigint NOT NULL,
        state text NOT NULL DEFAULT 'pending',
        attempts jsonb NOT NULL DEFAULT '[]',
        lease_owner text,
        lease_until bigint,
        PRIMARY KEY (tenant_id, id)
      );
      -- What claimOutbox scans: only pending items, oldest due first.
      CREATE INDEX outbox_due ON ${n.outbox} (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX outbox_by_time ON ${n.outbox} (tenant_id, created_at, id);
      CREATE INDEX outbox_by_alert ON ${n.outbox} USING gin (alert_ids);
    `
  },
  {
    version: 3,
    name: 'rollups per tier and retention marks',
    sql: (n) => `
      ${['minute', 'hour', 'day'].map((tier) => rollupTable(n.rollups[tier as 'minute'], tier)).join('\n')}

      -- One row: how far maintenance has got (see planMaintenance in @vedette/sdk).
      -- rolling_to moves first, before a pass rebuilds anything, so a result
      -- written meanwhile into a bucket being rebuilt marks dirty_from;
      -- rolled_to and maintained_at move when the rebuilt rollups commit, and
      -- are what uptime() plans its answer with. Raw results before raw_from
      -- are past retention: hidden from reads until their partition is dropped.
      CREATE TABLE ${n.marks} (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        maintained_at bigint,
        rolling_to bigint,
        rolled_to bigint,
        raw_from bigint,
        dirty_from bigint
      );
      INSERT INTO ${n.marks} DEFAULT VALUES;
    `
  },
  {
    version: 4,
    name: 'latest results updated in place',
    // Every batch rewrites a row per monitor: with free room in each page the
    // update stays on the page (a HOT update, no new index entry), the table
    // does not bloat, and the upsert costs about half as much. Frequent
    // autovacuum keeps that room available.
    sql: (n) => `
      ALTER TABLE ${n.latest} SET (fillfactor = 40, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0);
    `
  }
]

/**
 * A rollup tier: per monitor and bucket start, runs per status, latency
 * min / max / sum over the runs that were not unknown (avg = sum / judged),
 * and the latency histogram of @vedette/sdk (jsonb, bin → count).
 */
function rollupTable(table: string, tier: string): string {
  return `
      CREATE TABLE ${table} (
        tenant_id ${ID},
        monitor_id ${ID},
        bucket bigint NOT NULL,
        up integer NOT NULL,
        down integer NOT NULL,
        degraded integer NOT NULL,
        unknown integer NOT NULL,
        latency_min double precision,
        latency_max double precision,
        latency_sum double precision NOT NULL,
        histogram jsonb NOT NULL,
        PRIMARY KEY (tenant_id, monitor_id, bucket)
      );
      -- Rebuilds and retention work on bucket ranges across all monitors.
      CREATE INDEX rollups_${tier}_by_bucket ON ${table} (bucket);`
}

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Creates the schema and brings it to SCHEMA_VERSION, one transaction per
 * migration, under a session advisory lock: several nodes starting at once
 * queue on the lock, and the ones that get it after the first find nothing
 * left to do. Returns the versions this call applied.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<number[]> {
  const n = schemaNames(schema)
  const client = await pool.connect()
  const lock = [LOCK_CLASS.migrate, lockObject(schema)]
  let broken = false
  try {
    // Another node may be migrating: wait for it rather than time out.
    await client.query(longQuery('SELECT pg_advisory_lock($1, $2)', lock))
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${n.schema}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${n.migrations} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const { rows } = await client.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${n.migrations}`)
    const current = rows[0]?.v ?? 0
    if (current > SCHEMA_VERSION) throw new SchemaTooNewError(schema, current, SCHEMA_VERSION)
    const applied: number[] = []
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue
      await client.query('BEGIN')
      try {
        await client.query(longQuery(m.sql(n)))
        await client.query(`INSERT INTO ${n.migrations} (version, name) VALUES ($1, $2)`, [m.version, m.name])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      }
      applied.push(m.version)
    }
    return applied
  } catch (err) {
    broken = true
    throw err
  } finally {
    // A session lock outlives the transaction; release it, or the connection
    // goes back to the pool still holding it. A broken connection is dropped
    // (the server releases its locks when the session ends).
    if (!broken) await client.query('SELECT pg_advisory_unlock($1, $2)', lock)
    client.release(broken)
  }
}
