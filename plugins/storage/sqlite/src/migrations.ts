import type { Database } from 'better-sqlite3'
import { SchemaTooNewError } from './errors.js'

/**
 * Schema migrations; entry N takes `PRAGMA user_version` from N to N + 1.
 * Append only: a released entry never changes, or existing databases and new
 * ones would disagree about what version N means.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: initial schema */ `
  -- Every record hangs off a small integer ref for (tenant, monitor), so the big
  -- tables repeat 1-3 bytes per row instead of two strings. A ref exists while
  -- the monitor has a record or any data.
  CREATE TABLE monitor_refs (
    ref INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    monitor_id TEXT NOT NULL,
    UNIQUE (tenant_id, monitor_id)
  );

  CREATE TABLE monitors (
    ref INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    tags TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  -- Key sets of optional result fields; see result-codec.ts.
  CREATE TABLE result_shapes (
    shape INTEGER PRIMARY KEY,
    descriptor TEXT NOT NULL UNIQUE
  );

  -- Raw results, clustered by monitor and time (WITHOUT ROWID: the primary key
  -- is the table, no second b-tree). seq is 0 unless two results of a monitor
  -- share a start time, and a 0 costs no payload byte.
  CREATE TABLE results (
    ref INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    status INTEGER NOT NULL,
    latency_us INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    vals TEXT,
    PRIMARY KEY (ref, started_at, seq)
  ) WITHOUT ROWID;

  -- A copy of each monitor's newest result, updated in the insert's
  -- transaction: status lists for 100,000 monitors read one small table.
  CREATE TABLE latest_results (
    ref INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    status INTEGER NOT NULL,
    latency_us INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    vals TEXT
  );

  CREATE TABLE transitions (
    id INTEGER PRIMARY KEY,
    ref INTEGER NOT NULL,
    at INTEGER NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  -- The rowid rides along in every index entry, so this also orders ties by id.
  CREATE INDEX transitions_by_monitor ON transitions (ref, at);

  CREATE TABLE monitor_states (
    ref INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    since INTEGER NOT NULL,
    reason TEXT NOT NULL
  );

  -- AUTOINCREMENT: incident ids are handed out to clients and alerts, so they
  -- are never reused, not even after a monitor and its incidents are deleted.
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX incidents_by_monitor ON incidents (ref, started_at);
  -- Tenant-wide listings walk this newest first and stop at the page limit.
  CREATE INDEX incidents_by_time ON incidents (started_at);
  CREATE UNIQUE INDEX incidents_open ON incidents (ref) WHERE ended_at IS NULL;
  `,
  /* 2: JSON documents (config versions, API keys, plugin state) */ `
  CREATE TABLE documents (
    tenant_id TEXT NOT NULL,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, collection, id)
  ) WITHOUT ROWID;
  `,
  /* 3: the notification outbox */ `
  -- One row per (tenant, idempotency key): the primary key is what keeps a
  -- notification from being enqueued, and so sent, twice. alert_ids,
  -- notification and attempts are JSON.
  CREATE TABLE outbox (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    alert_ids TEXT NOT NULL,
    notification TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts TEXT NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    PRIMARY KEY (tenant_id, id)
  ) WITHOUT ROWID;
  -- Claims walk pending items by due time; delivered and dead ones (the bulk,
  -- over time) are not in this index at all.
  CREATE INDEX outbox_due ON outbox (next_attempt_at, tenant_id, id) WHERE state = 'pending';
  -- Delivery history, newest first per tenant.
  CREATE INDEX outbox_history ON outbox (tenant_id, created_at, id);
  `,
  /* 4: tiered retention: rollups per tier and the maintenance marks */ `
  -- One row per monitor and bucket (start, epoch ms, UTC-aligned): counts per
  -- status, latency min / max / sum in ms over runs that were not unknown
  -- (NULL min / max when there were none), and a latency histogram as JSON
  -- {"bin": count} (see latency-histogram.ts in @vedette/sdk).
${['minute', 'hour', 'day'].map(rollupTable).join('')}
  -- What maintenance has done so far (RetentionMarks in @vedette/sdk); one row.
  CREATE TABLE retention_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    maintained_at INTEGER,
    rolled_to INTEGER,
    raw_from INTEGER,
    dirty_from INTEGER
  );
  INSERT INTO retention_state (id) VALUES (1);
  `,
  /* 5: append-only staging of new results (see result-staging.ts) */ `
  -- New results land here, in arrival order, and a merge moves them into
  -- results sorted by (ref, started_at, seq) a chunk of monitors at a time.
  -- Appending writes a page per ~20 results; inserting into the clustered
  -- results table directly wrote one page per monitor in the batch. Same
  -- columns and encoding as results; id is handed out by the store.
  CREATE TABLE results_staged (
    id INTEGER PRIMARY KEY,
    ref INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    status INTEGER NOT NULL,
    latency_us INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    vals TEXT
  );
  `
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings `db` to SCHEMA_VERSION, one transaction per step; refuses a newer schema. */
export function migrate(db: Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(path, current, SCHEMA_VERSION)
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string)
      db.pragma(`user_version = ${version + 1}`)
    }).immediate()
  }
}

/** A rollup tier's table (migration 4); the three tiers differ only in name. */
function rollupTable(tier: string): string {
  return `
  CREATE TABLE rollups_${tier} (
    ref INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    up INTEGER NOT NULL,
    down INTEGER NOT NULL,
    degraded INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    latency_min REAL,
    latency_max REAL,
    latency_sum REAL NOT NULL,
    histogram TEXT NOT NULL,
    PRIMARY KEY (ref, bucket)
  ) WITHOUT ROWID;`
}
