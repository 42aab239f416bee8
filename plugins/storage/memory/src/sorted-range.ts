import type { TimeRange } from '@vedette/sdk'

/**
 * An entry of a time-ordered list. `seq` is a store-wide counter that breaks
 * ties between equal times, so every position is unique and a cursor can
 * point between two entries of the same millisecond.
 */
export interface Keyed {
  time: number
  seq: number
}

function before(item: Keyed, time: number, seq: number): boolean {
  return item.time < time || (item.time === time && item.seq < seq)
}

/** First index whose key is >= (time, seq). */
function lowerBound(items: readonly Keyed[], time: number, seq: number): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(items[mid] as Keyed, time, seq)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Keeps `items` ascending; appends in O(1) for the usual in-order arrival. */
export function insertSorted<T extends Keyed>(items: T[], item: T): void {
  const last = items[items.length - 1]
  if (last === undefined || before(last, item.time, item.seq)) items.push(item)
  else items.splice(lowerBound(items, item.time, item.seq), 0, item)
}

/** Index range `[lo, hi)` of the entries with from <= time < to. */
export function timeWindow(items: readonly Keyed[], from: number, to: number): [number, number] {
  return [lowerBound(items, from, Number.NEGATIVE_INFINITY), lowerBound(items, to, Number.NEGATIVE_INFINITY)]
}

/**
 * One page of an ascending list: entries in `[from, to)` strictly past the
 * cursor position `after` in the page's order, plus whether more follow.
 */
export function rangePage<T extends Keyed>(
  items: readonly T[],
  range: TimeRange,
  limit: number,
  after: readonly [number, number] | undefined
): { page: T[]; more: boolean } {
  let [lo, hi] = timeWindow(items, range.from, range.to)
  if (after !== undefined) {
    if (range.order === 'asc') lo = Math.max(lo, lowerBound(items, after[0], after[1] + 1))
    else hi = Math.min(hi, lowerBound(items, after[0], after[1]))
  }
  if (hi <= lo) return { page: [], more: false }
  if (range.order === 'asc') return { page: items.slice(lo, Math.min(hi, lo + limit)), more: hi - lo > limit }
  return { page: items.slice(Math.max(lo, hi - limit), hi).reverse(), more: hi - lo > limit }
}
