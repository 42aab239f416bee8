import type { PageQuery, TimeRangeQuery } from '../storage.js'
import { InvalidStorageCursorError, InvalidStorageQueryError } from '../errors.js'

export const DEFAULT_PAGE_LIMIT = 100
export const MAX_PAGE_LIMIT = 1000

/**
 * Page size: 100 when left out, capped at 1000; anything but a positive integer is a client error.
 *
 * @example
 * const limit = pageLimit(query) // fetch limit + 1 rows to know whether there is a next page
 */
export function pageLimit(query: PageQuery | undefined): number {
  const limit = query?.limit
  if (limit === undefined) return DEFAULT_PAGE_LIMIT
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new InvalidStorageQueryError(`limit must be a positive integer, got ${String(limit)}`)
  }
  return Math.min(limit, MAX_PAGE_LIMIT)
}

/** A validated time window `[from, to)` and its listing order. */
export interface TimeRange {
  from: number
  to: number
  order: 'asc' | 'desc'
}

/** `[from, to)` with open ends as infinities, and the order (`desc` by default), validated. */
export function timeRange(query: TimeRangeQuery | undefined): TimeRange {
  return {
    from: timeBound(query?.from, 'from', Number.NEGATIVE_INFINITY),
    to: timeBound(query?.to, 'to', Number.POSITIVE_INFINITY),
    order: sortOrder(query?.order)
  }
}

/** One epoch-ms bound named `name` in the error message; `fallback` when left out. */
export function timeBound(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value)) throw new InvalidStorageQueryError(`${name} must be epoch milliseconds, got ${String(value)}`)
  return value
}

function sortOrder(order: unknown): 'asc' | 'desc' {
  if (order === undefined || order === 'desc') return 'desc'
  if (order === 'asc') return 'asc'
  throw new InvalidStorageQueryError(`order must be 'asc' or 'desc', got ${String(order)}`)
}

/** The type of one position component of a cursor. */
export type CursorSlot = 'string' | 'number'
type Decoded<T extends readonly CursorSlot[]> = { -readonly [K in keyof T]: T[K] extends 'number' ? number : string }

/**
 * Cursors are base64url JSON arrays `[kind, ...position]`. The kind names the
 * listing and its order, so a cursor handed out for one listing is refused by
 * another instead of silently skipping rows.
 *
 * @example
 * const nextCursor = encodeCursor('results:desc', [last.startedAt, last.seq])
 */
export function encodeCursor(kind: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...position])).toString('base64url')
}

/**
 * The position `encodeCursor(kind, ...)` encoded, checked against `slots`;
 * anything else throws `VDT_ERR_STORAGE_INVALID_CURSOR` (400).
 *
 * @example
 * const [startedAt, seq] = decodeCursor(query.cursor, 'results:desc', ['number', 'number'])
 */
export function decodeCursor<const T extends readonly CursorSlot[]>(cursor: string, kind: string, slots: T): Decoded<T> {
  let parsed: unknown
  try {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url')
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidStorageCursorError('not a cursor this store handed out')
  }
  if (!Array.isArray(parsed) || parsed.length !== slots.length + 1 || parsed[0] !== kind) {
    throw new InvalidStorageCursorError(`not a cursor for this listing (${kind})`)
  }
  const position = parsed.slice(1)
  slots.forEach((slot, i) => {
    const v: unknown = position[i]
    if (slot === 'number' ? typeof v !== 'number' || Number.isNaN(v) : typeof v !== 'string') {
      throw new InvalidStorageCursorError(`position ${i} must be a ${slot}`)
    }
  })
  return position as Decoded<T>
}
