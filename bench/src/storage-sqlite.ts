/**
 * SQLite rows of the storage bench: @vedette/storage-sqlite through the
 * engine's ResultWriter and called directly, each on a fresh file, and raw
 * better-sqlite3 inserts of equivalent rows into the same table definition
 * with the same pragmas, as the baseline.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { silentLogger, type CheckResult, type PluginContext, type StorageInstance } from '@vedette/sdk'
import sqlitePlugin from '@vedette/storage-sqlite'
import { direct, startProbe, throughWriter, Ticker, type DriveOptions } from './storage-drive.js'
import { fmtBytes, type StorageRow, type WritePath } from './storage-report.js'
import type { ResultStream } from './storage-results.js'

export interface SqliteBenchOptions extends Omit<DriveOptions, 'label'> {
  /** Parent of the bench's temporary directory. */
  dir: string
  stream: () => ResultStream
}

export function sqliteVersion(): string {
  const db = new Database(':memory:')
  try {
    return db.prepare('SELECT sqlite_version() AS v').pluck().get() as string
  } finally {
    db.close()
  }
}

export async function sqliteRows(o: SqliteBenchOptions): Promise<StorageRow[]> {
  const dir = mkdtempSync(join(o.dir, 'vedette-storage-bench-'))
  try {
    const rows: StorageRow[] = []
    for (const path of ['engine', 'direct'] as const) rows.push(await pluginRun(path, dir, o))
    rows.push(rawRun(dir, o))
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function pluginRun(path: Exclude<WritePath, 'raw'>, dir: string, o: SqliteBenchOptions): Promise<StorageRow> {
  const file = join(dir, `${path}.db`)
  const ctx: PluginContext = { name: '@vedette/storage-sqlite', engineVersion: '0.1.0', dataDir: dir, resolvePath: (p) => join(dir, p), logger: silentLogger }
  // The plugin's defaults: WAL, synchronous=normal, its own page cache and checkpoint settings.
  const storage: StorageInstance = await sqlitePlugin.create({ path: file }, ctx)
  await storage.start()
  const drive = { ...o, label: `sqlite ${path}` }
  const figures = path === 'engine' ? await throughWriter(storage, o.stream(), drive) : await direct(storage, o.stream(), drive)
  // stop() checkpoints the WAL into the file (TRUNCATE), so the file is the whole store.
  await storage.stop()
  const size = inspect(file)
  rmSync(file, { force: true })
  return {
    ...figures,
    store: 'sqlite',
    path,
    stored: size.stored,
    ms: figures.wallMs,
    storeBytes: size.fileBytes,
    storeWhat: `the whole file after stop() (checkpointed, WAL left ${fmtBytes(size.walBytes)}): results ${fmtBytes(size.tableBytes)}, latest_results, monitor refs, shapes`,
    tableBytes: size.tableBytes,
    writtenWhat: WRITTEN
  }
}

const WRITTEN = "this process's write calls (/proc/self/io): SQLite's WAL frames and checkpoints"

// The plugin's results table, column for column (see plugins/storage/sqlite/src/migrations.ts).
const RESULTS_DDL = `CREATE TABLE results (
  ref INTEGER NOT NULL, started_at INTEGER NOT NULL, seq INTEGER NOT NULL, status INTEGER NOT NULL,
  latency_us INTEGER NOT NULL, shape INTEGER NOT NULL, vals TEXT, PRIMARY KEY (ref, started_at, seq)
) WITHOUT ROWID`
const STATUS = { up: 0, down: 1, degraded: 2, unknown: 3 } as const

type RawRow = [ref: number, startedAt: number, seq: number, status: number, latencyUs: number, shape: number, vals: string]

/**
 * The baseline: one prepared INSERT run in a transaction per batch, rows built
 * before the clock starts (a monitor ref, a shape id and the positional value
 * array the plugin stores), the plugin's pragmas. Its rate is over the time
 * inside the transactions only.
 */
function rawRun(dir: string, o: SqliteBenchOptions): StorageRow {
  const file = join(dir, 'raw.db')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('wal_autocheckpoint = 4000')
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  db.exec(RESULTS_DDL)
  const insert = db.prepare<RawRow>('INSERT INTO results (ref, started_at, seq, status, latency_us, shape, vals) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const write = db.transaction((rows: readonly RawRow[]) => {
    for (const row of rows) insert.run(...row)
  })
  const refs = new Map<string, number>()
  const shapes = new Map<string, number>()
  const toRow = (r: CheckResult): RawRow => {
    let ref = refs.get(r.monitorId)
    if (ref === undefined) refs.set(r.monitorId, (ref = refs.size + 1))
    const phases = r.phases ?? {}
    const obs = r.observations ?? {}
    const key = `${Object.keys(phases).join()}|${Object.keys(obs).join()}`
    let shape = shapes.get(key)
    if (shape === undefined) shapes.set(key, (shape = shapes.size + 1))
    const vals = JSON.stringify([...Object.values(phases).map((v) => Math.round((v ?? 0) * 1000)), ...Object.values(obs), r.message])
    return [ref, r.startedAt, 0, STATUS[r.status], Math.round(r.latencyMs * 1000), shape, vals]
  }
  const stream = o.stream()
  const batchMs: number[] = []
  const progress: Array<[number, number]> = []
  const ticker = new Ticker({ ...o, label: 'sqlite raw' })
  const probe = startProbe()
  let cpuUs = 0
  let ms = 0
  for (let done = 0; done < o.total; ) {
    const rows = stream.batch(Math.min(o.batch, o.total - done)).map(toRow)
    const cpu = process.cpuUsage()
    const t = performance.now()
    write(rows)
    const took = performance.now() - t
    const used = process.cpuUsage(cpu)
    cpuUs += used.user + used.system
    batchMs.push(took)
    ms += took
    done += rows.length
    progress.push([ms, done])
    ticker.tick(done, ms)
  }
  const figures = probe()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const size = inspect(file)
  return {
    ...figures,
    // CPU inside the inserts only, like the time.
    cpuUs,
    store: 'sqlite',
    path: 'raw',
    results: o.total,
    stored: size.stored,
    ms,
    batchMs,
    progress,
    storeBytes: size.fileBytes,
    storeWhat: 'the whole file, one results table (checkpointed)',
    tableBytes: size.tableBytes,
    writtenWhat: WRITTEN
  }
}

interface SqliteSize {
  stored: number
  /** page_count × page_size of the main file. */
  fileBytes: number
  walBytes: number
  /** The results table's pages (dbstat). */
  tableBytes: number
}

function inspect(file: string): SqliteSize {
  const db = new Database(file, { readonly: true })
  try {
    const one = (sql: string): number => db.prepare(sql).pluck().get() as number
    const wal = `${file}-wal`
    return {
      stored: one('SELECT count(*) FROM results'),
      fileBytes: one('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()'),
      walBytes: existsSync(wal) ? statSync(wal).size : 0,
      tableBytes: one("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'results')")
    }
  } finally {
    db.close()
  }
}
