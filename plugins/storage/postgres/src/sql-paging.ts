import type { TimeRange } from '@vedette/sdk'

// Times are bigint epoch ms in the database; query bounds may be any number
// (fractions, infinities for open ends). For integer columns, `at >= x` is
// `at >= ceil(x)` and `at < x` is `at < ceil(x)`; bounds past what a bigint
// time can mean are left out (open) or pinned.
const LIMIT = Number.MAX_SAFE_INTEGER

/** The SQL condition and parameters for `[from, to)` on `column`; parameters are numbered from `next`. */
export function rangeCondition(column: string, range: Pick<TimeRange, 'from' | 'to'>, next: number): { sql: string; params: number[] } {
  const parts: string[] = []
  const params: number[] = []
  if (range.from > -LIMIT) {
    params.push(Math.ceil(Math.min(range.from, LIMIT)))
    parts.push(`${column} >= $${next++}`)
  }
  if (range.to <= LIMIT) {
    params.push(Math.ceil(Math.max(range.to, -LIMIT)))
    parts.push(`${column} < $${next++}`)
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params }
}

/**
 * The keyset condition for the page after a cursor `(time, tie)`: rows after
 * it in the listing's order. A row comparison, so the btree on
 * (tenant, monitor, time, tie) starts right at the cursor.
 */
export function afterCondition(time: string, tie: string, order: 'asc' | 'desc', next: number): string {
  return ` AND (${time}, ${tie}) ${order === 'desc' ? '<' : '>'} ($${next}, $${next + 1})`
}

/** `ORDER BY time dir, tie dir`. */
export function orderBy(time: string, tie: string, order: 'asc' | 'desc'): string {
  const dir = order === 'desc' ? 'DESC' : 'ASC'
  return ` ORDER BY ${time} ${dir}, ${tie} ${dir}`
}
