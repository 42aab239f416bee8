/**
 * `npm run bench -- storage` (issue #6): batched ingestion of check results
 * into SQLite and PostgreSQL. For each store: the engine's path (ResultWriter
 * in front of the plugin), the plugin's writeResults called directly, and raw
 * batched inserts of equivalent rows without the plugin, so the plugin's own
 * overhead shows as a ratio. Prints results/s, write latency per batch
 * (p50/p99/max), bytes per result and PASS/FAIL against the target rate.
 */
import { tmpdir } from 'node:os'
import { generationMs } from './storage-drive.js'
import { postgresRows, postgresSettings } from './storage-postgres.js'
import { printTable, type StorageRow } from './storage-report.js'
import { ResultStream } from './storage-results.js'
import { sqliteRows, sqliteVersion } from './storage-sqlite.js'
import { fmt } from './stats.js'

interface Options {
  results: number
  monitors: number
  batch: number
  intervalMs: number
  stores: Array<'sqlite' | 'postgres'>
  url: string
  dir: string
  target: number
}

const USAGE = 'storage [--results 1000000] [--monitors 10000] [--batch 1000] [--only sqlite|postgres] [--pg-url postgres://postgres@127.0.0.1:5432/test] [--dir DIR] [--target 50000]'

function parseArgs(args: string[]): Options {
  const get = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const int = (flag: string, fallback: number): number => {
    const v = get(flag)
    if (v === undefined) return fallback
    const n = Number(v.replaceAll('_', '').replaceAll(',', ''))
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got '${v}' (usage: ${USAGE})`)
    return n
  }
  const only = get('--only')
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') throw new Error(`--only: sqlite or postgres, got '${only}'`)
  return {
    results: int('--results', 1_000_000),
    monitors: int('--monitors', 10_000),
    batch: int('--batch', 1000),
    intervalMs: 30_000,
    stores: only === undefined ? ['sqlite', 'postgres'] : [only],
    url: get('--pg-url') ?? 'postgres://postgres@127.0.0.1:5432/test',
    dir: get('--dir') ?? tmpdir(),
    target: int('--target', 50_000)
  }
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args)
  // Results start now so every one lands in a PostgreSQL partition the plugin
  // made at start (today and the days ahead), as live results do.
  const startAt = Date.now()
  const stream = (): ResultStream => new ResultStream({ monitors: o.monitors, intervalMs: o.intervalMs, startAt })
  const drive = { total: o.results, batch: o.batch, flushIntervalMs: 250, progressEvery: Math.max(o.batch, Math.round(o.results / 5)), stream }

  console.log(
    `storage: ${o.results.toLocaleString('en-US')} HTTP-like results per row over ${o.monitors.toLocaleString('en-US')} monitors ` +
      `(1 in 4 HTTPS; 2 % degraded, 1 % refused), batches of ${o.batch.toLocaleString('en-US')}, target ≥ ${fmt(o.target, 0)} results/s`
  )
  const sample = stream().next()
  console.log(`a result: ${JSON.stringify(sample)} (${Buffer.byteLength(JSON.stringify(sample))} bytes as JSON)`)
  const genMs = generationMs(stream(), o.results)
  console.log(`producing the results alone: ${fmt(genMs, 0)} ms for ${o.results.toLocaleString('en-US')} (${fmt((o.results * 1000) / genMs, 0)}/s); inside the engine and direct rows' wall time`)

  const rows: StorageRow[] = []
  if (o.stores.includes('sqlite')) {
    console.log(`\nSQLite ${sqliteVersion()} (better-sqlite3), files under ${o.dir}`)
    rows.push(...(await sqliteRows({ ...drive, dir: o.dir })))
  }
  if (o.stores.includes('postgres')) {
    console.log(`\nPostgreSQL at ${o.url.replace(/\/\/[^@/]*@/, '//…@')}: ${await postgresSettings(o.url)}`)
    rows.push(...(await postgresRows({ ...drive, url: o.url, dir: o.dir, startAt })))
  }

  const failed = printTable(rows, o.target)
  console.log(
    [
      '',
      'engine path: results pushed into core\'s ResultWriter (maxBatch = --batch, flush every 250 ms), at most 4 batches waiting; rate over wall time until close() returned; batch latency = ResultWriter\'s onWritten time (the storage_write metric).',
      'direct: writeResults awaited batch after batch; rate over wall time; batch latency = each call.',
      'raw: rows built before each batch\'s clock starts; rate over the time inside the inserts only (SQLite: one prepared INSERT in a transaction per batch, same table and pragmas; PostgreSQL: one COPY per batch of the same columns into the same partitioned table and index).',
      'CPU µs/result is this process only: SQLite runs in it, the PostgreSQL server does not. Machine busy: all cores, whoever used them.',
      'written per result: SQLite, what this process wrote (WAL frames, checkpoints); PostgreSQL, WAL the server generated (pg_stat_wal, server-wide).',
      'results table bytes/result: SQLite dbstat of the results table; PostgreSQL pg_total_relation_size of its partitions (heap, index, TOAST).',
      failed.length === 0 ? `all plugin rows PASS (≥ ${fmt(o.target, 0)} results/s)` : `FAIL: ${failed.map((r) => `${r.store} ${r.path}`).join(', ')}`
    ].join('\n')
  )
  if (failed.length > 0) process.exitCode = 1
}
