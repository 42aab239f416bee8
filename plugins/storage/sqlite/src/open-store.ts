import type { Database } from 'better-sqlite3'
import type { CheckResult, MonitorRecord, StateChangeEvent } from '@vedette/sdk'
import { SqliteDocuments } from './documents.js'
import { MonitorRefs } from './monitor-refs.js'
import { openDatabase } from './open-database.js'
import { NewestCache, ShapeRegistry } from './registry-caches.js'
import { ResultStaging, STAGING_DEFAULTS } from './result-staging.js'
import type { SqliteStorageOptions } from './sqlite-storage.js'
import { SqliteOutbox } from './sqlite-outbox.js'
import { SqliteRetention } from './sqlite-retention.js'
import { IncidentQueries, prepareStatements, type Statements } from './statements.js'
import { applyTransition, writeResultBatch } from './writes.js'

/** Everything that exists only between start() and stop(). */
export interface Open {
  db: Database
  sql: Statements
  incidents: IncidentQueries
  refs: MonitorRefs
  shapes: ShapeRegistry
  newest: NewestCache
  staging: ResultStaging
  // better-sqlite3 transaction wrappers: BEGIN, the body, COMMIT (or ROLLBACK on a throw).
  put: (monitor: MonitorRecord) => void
  writeBatch: (batch: readonly CheckResult[]) => void
  record: (event: StateChangeEvent) => void
  remove: (tenantId: string, monitorId: string) => number | undefined
  documents: SqliteDocuments
  outbox: SqliteOutbox
  retention: SqliteRetention
}

/** Opens the file (migrating it) and builds everything the store uses until stop(); nothing stays open on failure. */
export function openStore(options: SqliteStorageOptions): Open {
  const { logger, retention: policy } = options
  const db = openDatabase(options)
  try {
    // Before the statements: they read the TEMP index it creates.
    const staging = new ResultStaging(db, { ...STAGING_DEFAULTS, ...options.staging }, logger)
    const sql = prepareStatements(db)
    const shapes = new ShapeRegistry(options.path, () => sql.shapeAll.all(), (d) => Number(sql.shapeInsert.run(d).lastInsertRowid))
    const refs = new MonitorRefs(sql)
    const refOf = (tenantId: string, monitorId: string): number => refs.get(tenantId, monitorId, true)
    const newest = new NewestCache()
    const nextId = (): number => staging.nextId()
    const retention = new SqliteRetention(db, policy)
    return {
      db,
      sql,
      refs,
      shapes,
      newest,
      staging,
      incidents: new IncidentQueries(db),
      put: db.transaction((monitor: MonitorRecord) => refs.put(monitor)),
      // A result for a bucket already rolled up marks it for the next maintenance pass.
      writeBatch: db.transaction((batch: readonly CheckResult[]) => retention.noteBatch(writeResultBatch(sql, shapes, refOf, newest, nextId, batch))),
      record: db.transaction((event: StateChangeEvent) => applyTransition(sql, refOf, event)),
      remove: db.transaction((tenantId: string, monitorId: string) => refs.remove(tenantId, monitorId)),
      documents: new SqliteDocuments(db),
      outbox: new SqliteOutbox(db),
      retention
    }
  } catch (err) {
    db.close()
    throw err
  }
}
