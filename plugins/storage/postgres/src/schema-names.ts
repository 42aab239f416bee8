/**
 * Every table name qualified with the configured schema. Names are spelled out
 * in each statement instead of relying on `search_path`: poolers in
 * transaction mode (PgBouncer) do not keep per-connection settings, and a
 * statement that names its schema cannot land in the wrong one.
 *
 * The schema name is validated by resolveConfig (a lower-case identifier), so
 * quoting it is all the escaping it needs.
 */
export function schemaNames(schema: string) {
  const q = (table: string): string => `"${schema}".${table}`
  return {
    schema: `"${schema}"`,
    migrations: q('schema_migrations'),
    monitors: q('monitors'),
    results: q('results'),
    resultsSeq: q('results_seq'),
    latest: q('latest_results'),
    batches: q('result_batches'),
    transitions: q('transitions'),
    states: q('monitor_states'),
    incidents: q('incidents'),
    documents: q('documents'),
    outbox: q('outbox'),
    marks: q('retention_marks'),
    rollups: { minute: q('rollups_minute'), hour: q('rollups_hour'), day: q('rollups_day') },
    /** A results partition, by its bare table name. */
    partition: (name: string): string => q(`"${name}"`)
  }
}

export type SchemaNames = ReturnType<typeof schemaNames>

/**
 * Advisory lock keys `(class, object)`: the class says what is locked, the
 * object which schema, so two stores in one database never wait for each
 * other. FNV-1a gives a stable 32-bit hash in any process on any node.
 */
export const LOCK_CLASS = {
  migrate: 0x56445401,
  partitions: 0x56445402,
  /** One maintenance pass at a time per schema. */
  maintain: 0x56445403,
  /** Result writes hold it shared; a pass takes it alone for a moment to move the rolled-up line (see retention.ts). */
  rollupFence: 0x56445404
} as const

export function lockObject(schema: string): number {
  let h = 0x811c9dc5
  for (const byte of Buffer.from(schema, 'utf8')) {
    h ^= byte
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}
