import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Sqlite, { type Database } from 'better-sqlite3'
import type { ResolvedSqliteConfig } from './config.js'
import { OpenFailedError } from './errors.js'
import { migrate } from './migrations.js'

/** Creates the directory, opens the file, sets the pragmas and migrates; nothing stays open on failure. */
export function openDatabase({ path, busyTimeoutMs, synchronous }: ResolvedSqliteConfig): Database {
  let db: Database
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    db = new Sqlite(path, { timeout: busyTimeoutMs })
  } catch (cause) {
    throw new OpenFailedError(path, (cause as Error).message, { cause })
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
    // Results are clustered by monitor, so a merge of staged results dirties
    // about one page per monitor. Checkpointing every 4,000 WAL pages instead
    // of the default 1,000 lets pages dirtied by consecutive merge chunks be
    // written back once. The size limit returns the WAL file to at most 64 MiB
    // after a checkpoint.
    db.pragma('wal_autocheckpoint = 4000')
    db.pragma('journal_size_limit = 67108864')
    // A merge touches a page per monitor across the whole results b-tree; with
    // 100,000 monitors the default 2 MiB page cache misses on almost every row
    // and each miss is a read syscall. A 64 MiB cache and memory-mapped reads
    // keep the hot pages in process.
    db.pragma('cache_size = -65536')
    if (path !== ':memory:') db.pragma('mmap_size = 268435456')
    // The index of staged results is a TEMP table (see result-staging.ts): in
    // memory, never written to a file.
    db.pragma('temp_store = MEMORY')
    migrate(db, path)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/**
 * Every write was committed when its promise resolved; this folds the WAL back
 * into the main file so that the .db file alone is a complete copy.
 */
export function closeDatabase(db: Database): void {
  db.pragma('optimize')
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}
