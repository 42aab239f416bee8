/**
 * PostgreSQL rows of the storage bench: @vedette/storage-postgres through the
 * engine's ResultWriter and called directly, each in a fresh schema
 * `vdt_bench_<random>`, and raw COPY of the same columns into an equivalent
 * partitioned table as the baseline. Every schema made is dropped at the end.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { silentLogger, type CheckResult, type PluginContext, type StorageInstance } from '@vedette/sdk'
import postgresPlugin from '@vedette/storage-postgres'
import { direct, startProbe, throughWriter, Ticker, type DriveOptions } from './storage-drive.js'
import { fmtBytes, type StorageRow, type WritePath } from './storage-report.js'
import type { ResultStream } from './storage-results.js'

export interface PostgresBenchOptions extends Omit<DriveOptions, 'label'> {
  url: string
  /** For the plugin's spill directory (never used while the server answers). */
  dir: string
  /** Start time of the first result, for the raw table's partition bounds. */
  startAt: number
  stream: () => ResultStream
}

/** The server's version and the settings that decide write speed, for the report. */
export async function postgresSettings(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_level', 'shared_buffers', 'max_wal_size', 'full_page_writes') ORDER BY name`
    )
    return rows.map((r) => `${r.name}=${r.setting}${r.unit === null ? '' : ` ${r.unit}`}`).join(', ')
  })
}

export async function postgresRows(o: PostgresBenchOptions): Promise<StorageRow[]> {
  const schemas: string[] = []
  const dir = mkdtempSync(join(o.dir, 'vedette-storage-bench-pg-'))
  // Ctrl-C in the middle of a row still leaves no bench schema behind.
  const onSignal = (): void => {
    void Promise.allSettled(schemas.map((schema) => dropSchema(o.url, schema))).finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  try {
    const rows: StorageRow[] = []
    for (const path of ['engine', 'direct'] as const) {
      const schema = benchSchema()
      schemas.push(schema)
      rows.push(await pluginRun(path, schema, dir, o))
      await dropSchema(o.url, schema)
    }
    const schema = benchSchema()
    schemas.push(schema)
    rows.push(await rawRun(schema, o))
    return rows
  } finally {
    process.off('SIGINT', onSignal)
    for (const schema of schemas) await dropSchema(o.url, schema).catch((err: Error) => console.error(`could not drop schema ${schema}: ${err.message}`))
    rmSync(dir, { recursive: true, force: true })
  }
}

function benchSchema(): string {
  return `vdt_bench_${randomBytes(6).toString('hex')}`
}

async function pluginRun(path: Exclude<WritePath, 'raw'>, schema: string, dir: string, o: PostgresBenchOptions): Promise<StorageRow> {
  const ctx: PluginContext = { name: '@vedette/storage-postgres', engineVersion: '0.1.0', dataDir: dir, resolvePath: (p) => join(dir, p), logger: silentLogger }
  // The plugin's defaults otherwise (pool of 10, day partitions); the server's
  // synchronous_commit as configured, so a resolved write is a durable one.
  const storage: StorageInstance = await postgresPlugin.create({ url: o.url, schema }, ctx)
  await storage.start()
  const drive = { ...o, label: `postgres ${path}` }
  const wal0 = await withClient(o.url, walStats)
  let figures
  try {
    figures = path === 'engine' ? await throughWriter(storage, o.stream(), drive) : await direct(storage, o.stream(), drive)
  } finally {
    await storage.stop()
  }
  return withClient(o.url, async (c) => {
    const wal = walSince(wal0, await walStats(c))
    const one = async (sql: string): Promise<number> => Number((await c.query<{ n: string }>(sql)).rows[0]?.n ?? 0)
    const stored = await one(`SELECT count(*) AS n FROM "${schema}".results`)
    const partitions = await one(partitionBytes(`"${schema}".results`))
    const latest = await one(`SELECT pg_total_relation_size('"${schema}".latest_results') AS n`)
    const batches = await one(`SELECT pg_total_relation_size('"${schema}".result_batches') AS n`)
    return {
      ...figures,
      ...wal,
      store: 'postgres',
      path,
      stored,
      ms: figures.wallMs,
      storeBytes: partitions + latest + batches,
      storeWhat: `pg_total_relation_size of the results partitions ${fmtBytes(partitions)} + latest_results ${fmtBytes(latest)} + result_batches ${fmtBytes(batches)}`,
      tableBytes: partitions
    } satisfies StorageRow
  })
}

/** Heap, indexes and TOAST of every partition of `table`. */
function partitionBytes(table: string): string {
  return `SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) AS n FROM pg_inherits i WHERE i.inhparent = '${table}'::regclass`
}

const COLUMNS = 'tenant_id, monitor_id, at, status, latency_ms, message, reason, phases, metrics, observations'
const STATUS = { up: 0, down: 1, degraded: 2, unknown: 3 } as const

/**
 * The baseline: the plugin's results table re-declared (same columns, types,
 * seq default and index, partitioned by range on `at`, one partition holding
 * the run) and one COPY per batch, each its own transaction. COPY text is
 * built before the clock starts; the rate is over the time inside the COPYs.
 */
async function rawRun(schema: string, o: PostgresBenchOptions): Promise<StorageRow> {
  const t = `"${schema}".results`
  const day = 86_400_000
  await withClient(o.url, async (c) => {
    await c.query(`CREATE SCHEMA "${schema}"`)
    await c.query(`CREATE SEQUENCE "${schema}".results_seq`)
    await c.query(`CREATE TABLE ${t} (
      tenant_id text COLLATE "C" NOT NULL, monitor_id text COLLATE "C" NOT NULL, at bigint NOT NULL,
      seq bigint NOT NULL DEFAULT nextval('"${schema}".results_seq'), status smallint NOT NULL, latency_ms double precision NOT NULL,
      message text, reason text, phases json, metrics json, observations json
    ) PARTITION BY RANGE (at)`)
    await c.query(`CREATE INDEX results_by_monitor ON ${t} (tenant_id, monitor_id, at, seq)`)
    await c.query(`CREATE TABLE "${schema}".results_run PARTITION OF ${t} FOR VALUES FROM (${o.startAt - day}) TO (${o.startAt + 365 * day})`)
  })
  const wal0 = await withClient(o.url, walStats)
  const copySql = `COPY ${t} (${COLUMNS}) FROM STDIN`
  const stream = o.stream()
  const batchMs: number[] = []
  const progress: Array<[number, number]> = []
  const ticker = new Ticker({ ...o, label: 'postgres raw' })
  const probe = startProbe()
  let cpuUs = 0
  let ms = 0
  await withClient(o.url, async (c) => {
    for (let done = 0; done < o.total; ) {
      const batch = stream.batch(Math.min(o.batch, o.total - done))
      let text = ''
      for (const r of batch) text += copyLine(r)
      const cpu = process.cpuUsage()
      const start = performance.now()
      await pipeline(Readable.from([text]), c.query(copyFrom(copySql)))
      const took = performance.now() - start
      const used = process.cpuUsage(cpu)
      cpuUs += used.user + used.system
      batchMs.push(took)
      ms += took
      done += batch.length
      progress.push([ms, done])
      ticker.tick(done, ms)
    }
  })
  const figures = probe()
  return withClient(o.url, async (c) => {
    const wal = walSince(wal0, await walStats(c))
    const stored = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n ?? 0)
    const bytes = Number((await c.query<{ n: string }>(partitionBytes(t))).rows[0]?.n ?? 0)
    return {
      ...figures,
      ...wal,
      // CPU inside the COPYs only, like the time.
      cpuUs,
      store: 'postgres',
      path: 'raw',
      results: o.total,
      stored,
      ms,
      batchMs,
      progress,
      storeBytes: bytes,
      storeWhat: 'pg_total_relation_size of the one partition',
      tableBytes: bytes
    } satisfies StorageRow
  })
}

interface WalStats {
  bytes: number
  records: number
  fpi: number
}

/**
 * pg_stat_wal: WAL the whole server generated (PostgreSQL 14+); other users of
 * the server count too. A backend adds its share when its session ends (or
 * goes idle for a while), so this is read after the writers' connections have
 * closed, a moment later.
 */
async function walStats(c: pg.Client): Promise<WalStats> {
  await sleep(1000)
  const { rows } = await c.query<{ bytes: string; records: string; fpi: string }>('SELECT wal_bytes AS bytes, wal_records AS records, wal_fpi AS fpi FROM pg_stat_wal')
  const row = rows[0]
  return { bytes: Number(row?.bytes ?? NaN), records: Number(row?.records ?? NaN), fpi: Number(row?.fpi ?? NaN) }
}

function walSince(a: WalStats, b: WalStats): Pick<StorageRow, 'writtenBytes' | 'writeCalls' | 'writtenWhat'> {
  return {
    writtenBytes: b.bytes - a.bytes,
    writeCalls: b.records - a.records,
    writtenWhat: `WAL generated by the whole server (pg_stat_wal; "calls" are WAL records), ${(b.fpi - a.fpi).toLocaleString('en-US')} of them full-page images; the data files are written again at checkpoints`
  }
}

/** COPY text for the generated results, which hold no tab, newline or backslash (checked). */
function copyLine(r: CheckResult): string {
  const json = (v: unknown): string => (v === undefined ? '\\N' : JSON.stringify(v))
  const line = `${r.tenantId}\t${r.monitorId}\t${r.startedAt}\t${STATUS[r.status]}\t${r.latencyMs}\t${r.message ?? '\\N'}\t${r.reason ?? '\\N'}\t${json(r.phases)}\t${json(r.metrics)}\t${json(r.observations)}`
  if (/[\n\r\\]/.test(line.replaceAll('\\N', ''))) throw new Error(`the raw baseline's COPY writer does not escape; result needs it: ${line}`)
  return `${line}\n`
}

async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`))
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}
