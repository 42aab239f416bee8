/** The storage bench's table: one row per store and write path. */
import type { ProbeFigures } from './storage-drive.js'
import { fmt, percentiles } from './stats.js'

export type WritePath = 'engine' | 'direct' | 'raw'

export interface StorageRow extends ProbeFigures {
  store: 'sqlite' | 'postgres'
  path: WritePath
  /** Results written. */
  results: number
  /** Rows counted in the store afterwards. */
  stored: number
  /** The time the rate is computed over (wall time; for raw rows, the time inside the inserts). */
  ms: number
  /** One entry per writeResults call / raw batch. */
  batchMs: number[]
  /** [ms, results durable] after each batch, on the same clock as `ms`. */
  progress: Array<[number, number]>
  /** What the store takes on disk after the run, and what that counts. */
  storeBytes: number
  storeWhat: string
  /** The results table (and its indexes) alone: the part that grows with every result. */
  tableBytes: number
  /** What `writtenBytes` / `writeCalls` count for this store. */
  writtenWhat: string
}

export const PATH_LABEL: Readonly<Record<WritePath, string>> = {
  engine: 'engine path (ResultWriter → plugin)',
  direct: 'plugin writeResults, direct',
  raw: 'raw batched inserts (no plugin)'
}

export function rate(row: StorageRow): number {
  return (row.results * 1000) / row.ms
}

/** Rates over each fifth of the results, in order: how the rate moves as the table grows. */
export function rateByFifth(row: StorageRow): number[] {
  const out: number[] = []
  let prev: [number, number] = [0, 0]
  for (let k = 1; k <= 5; k++) {
    const goal = (row.results * k) / 5
    const at = row.progress.find(([, done]) => done >= goal) ?? row.progress[row.progress.length - 1]
    if (at === undefined) break
    out.push(((at[1] - prev[1]) * 1000) / Math.max(1e-9, at[0] - prev[0]))
    prev = at
  }
  return out
}

/** Prints the table and returns the plugin rows that missed the target. */
export function printTable(rows: readonly StorageRow[], target: number): StorageRow[] {
  const failed: StorageRow[] = []
  const header = [
    'store',
    'path',
    'results/s',
    'batch p50 / p99 / max ms',
    'CPU µs/result (this process)',
    'machine busy',
    'written per result',
    'results table bytes/result',
    'MiB per 1M results',
    'vs raw',
    'target'
  ]
  const lines = [header]
  for (const row of rows) {
    const raw = rows.find((r) => r.store === row.store && r.path === 'raw')
    const r = rate(row)
    const [p50, p99, max] = percentiles(row.batchMs, [50, 99, 100])
    const vsRaw = raw === undefined || row.path === 'raw' ? '—' : `${fmt((r / rate(raw)) * 100, 0)} % of raw (${fmt(rate(raw) / r, 2)}× the time)`
    let verdict = 'n/a (baseline)'
    if (row.path !== 'raw') {
      const ok = r >= target && row.stored === row.results
      verdict = ok ? `PASS (≥ ${fmt(target, 0)}/s)` : row.stored !== row.results ? `FAIL (stored ${row.stored} of ${row.results})` : `FAIL (< ${fmt(target, 0)}/s)`
      if (!ok) failed.push(row)
    }
    const perResult = row.tableBytes / Math.max(1, row.results)
    lines.push([
      row.store,
      PATH_LABEL[row.path],
      fmt(r, 0),
      `${fmt(p50 ?? NaN, 1)} / ${fmt(p99 ?? NaN, 1)} / ${fmt(max ?? NaN, 1)}`,
      fmt(row.cpuUs / Math.max(1, row.results), 1),
      `${fmt(row.machineBusyPct, 0)} %`,
      `${fmt(row.writtenBytes / Math.max(1, row.results) / 1024, 1)} KiB`,
      fmt(perResult, 1),
      fmt((perResult * 1e6) / 2 ** 20, 0),
      vsRaw,
      verdict
    ])
  }
  console.log(`\n| ${lines[0]!.join(' | ')} |\n|${lines[0]!.map(() => '---').join('|')}|`)
  for (const l of lines.slice(1)) console.log(`| ${l.join(' | ')} |`)
  console.log('\nPer row:')
  for (const row of rows) {
    const fifths = rateByFifth(row)
      .map((x) => fmt(x, 0))
      .join(' → ')
    console.log(
      [
        `  ${row.store} ${row.path}: ${row.stored.toLocaleString('en-US')} rows counted afterwards`,
        `    results/s by fifth of the run: ${fifths}`,
        `    written: ${(row.writtenBytes / 2 ** 20).toFixed(0)} MiB in ${row.writeCalls.toLocaleString('en-US')} calls (${row.writtenWhat})`,
        `    on disk after the run: ${(row.storeBytes / 2 ** 20).toFixed(1)} MiB = ${row.storeWhat}`
      ].join('\n')
    )
  }
  return failed
}

export function fmtBytes(n: number): string {
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n.toLocaleString('en-US')} B`
}
