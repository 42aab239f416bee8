import { HISTOGRAM_LAST_BIN, HISTOGRAM_MIN_MS, HISTOGRAM_RELATIVE_ERROR, TIER_MS } from '@vedette/sdk'
import type { RollupTier } from '@vedette/sdk'
import { UNKNOWN_CODE } from './result-codec.js'
import type { SchemaNames } from './schema-names.js'

// SQL for rollups, computed where the rows are: a pass over 100,000 monitors
// must not ship their results to the engine. The histogram is the SDK's
// (latency-histogram.ts): the same bins, computed with the same formula.

const GAMMA = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR)
/** 17 significant digits: the float8 PostgreSQL parses is the double JS computed. */
const LN_GAMMA = Math.log(GAMMA).toPrecision(17)

/** The histogram bin of a latency column, as histogramBin() computes it. */
export function binSql(column: string): string {
  return `CASE WHEN ${column} > ${HISTOGRAM_MIN_MS} THEN least(${HISTOGRAM_LAST_BIN}, ceil(ln(${column} / ${HISTOGRAM_MIN_MS}) / ${LN_GAMMA}))::int ELSE 0 END`
}

/** Start of the `size` ms bucket holding `column` (a floor that is right for negative times too). */
export function floorSql(column: string, size: number): string {
  return `(${column} - ((${column} % ${size}) + ${size}) % ${size})`
}

const COUNTS = 'up, down, degraded, unknown'
const TARGET = `tenant_id, monitor_id, bucket, ${COUNTS}, latency_min, latency_max, latency_sum, histogram`
const KNOWN = `FILTER (WHERE status <> ${UNKNOWN_CODE})`

/**
 * Minute rollups from raw results in `[$1, $2)`: one scan grouped by
 * (monitor, minute, status, bin), then folded per minute, with the histogram
 * summed per bin over the statuses that count.
 */
export function minutesFromRawSql(n: SchemaNames): string {
  return `
    WITH g AS (
      SELECT tenant_id, monitor_id, ${floorSql('at', TIER_MS.minute)} AS bucket, status, ${binSql('latency_ms')} AS bin,
             count(*)::int AS n, min(latency_ms) AS lo, max(latency_ms) AS hi, sum(latency_ms) AS total
      FROM ${n.results} WHERE at >= $1 AND at < $2
      GROUP BY 1, 2, 3, 4, 5
    ), h AS (
      SELECT tenant_id, monitor_id, bucket, jsonb_object_agg(bin, n) AS histogram
      FROM (SELECT tenant_id, monitor_id, bucket, bin, sum(n)::int AS n FROM g WHERE status <> ${UNKNOWN_CODE} GROUP BY 1, 2, 3, 4) x
      GROUP BY 1, 2, 3
    )
    INSERT INTO ${n.rollups.minute} (${TARGET})
    SELECT g.tenant_id, g.monitor_id, g.bucket,
           coalesce(sum(n) FILTER (WHERE status = 0), 0), coalesce(sum(n) FILTER (WHERE status = 1), 0),
           coalesce(sum(n) FILTER (WHERE status = 2), 0), coalesce(sum(n) FILTER (WHERE status = 3), 0),
           min(lo) ${KNOWN}, max(hi) ${KNOWN}, coalesce(sum(total) ${KNOWN}, 0), coalesce(h.histogram, '{}')
    FROM g LEFT JOIN h ON h.tenant_id = g.tenant_id AND h.monitor_id = g.monitor_id AND h.bucket = g.bucket
    GROUP BY g.tenant_id, g.monitor_id, g.bucket, h.histogram`
}

/** `tier` rollups in `[$1, $2)` from the next finer tier's rows: sums, min of mins, max of maxes, histograms added bin by bin. */
export function tierFromFinerSql(n: SchemaNames, tier: Exclude<RollupTier, 'minute'>): string {
  const finer = tier === 'hour' ? n.rollups.minute : n.rollups.hour
  return `
    WITH src AS (
      SELECT *, ${floorSql('bucket', TIER_MS[tier])} AS b FROM ${finer} WHERE bucket >= $1 AND bucket < $2
    ), h AS (
      SELECT tenant_id, monitor_id, b, jsonb_object_agg(k, c) AS histogram
      FROM (SELECT tenant_id, monitor_id, b, e.key AS k, sum(e.value::int)::int AS c
            FROM src, jsonb_each_text(src.histogram) AS e GROUP BY 1, 2, 3, 4) x
      GROUP BY 1, 2, 3
    )
    INSERT INTO ${n.rollups[tier]} (${TARGET})
    SELECT s.tenant_id, s.monitor_id, s.b, sum(up), sum(down), sum(degraded), sum(unknown),
           min(latency_min), max(latency_max), sum(latency_sum), coalesce(h.histogram, '{}')
    FROM src s LEFT JOIN h ON h.tenant_id = s.tenant_id AND h.monitor_id = s.monitor_id AND h.b = s.b
    GROUP BY s.tenant_id, s.monitor_id, s.b, h.histogram`
}

/** One monitor's raw results in `[$3, $4)` folded per (status, bin), for the raw tail of an answer from rollups. */
export function rawBinsSql(n: SchemaNames): string {
  return `SELECT status, ${binSql('latency_ms')} AS bin, count(*)::int, min(latency_ms), max(latency_ms), sum(latency_ms)
          FROM ${n.results} WHERE tenant_id = $1 AND monitor_id = $2 AND at >= $3 AND at < $4 GROUP BY 1, 2`
}

/** One monitor's rollup rows of `tier` with bucket starts in `[$3, $4)`. */
export function rollupRowsSql(n: SchemaNames, tier: RollupTier): string {
  return `SELECT ${COUNTS}, latency_min, latency_max, latency_sum, histogram
          FROM ${n.rollups[tier]} WHERE tenant_id = $1 AND monitor_id = $2 AND bucket >= $3 AND bucket < $4`
}
