import { isDeepStrictEqual } from 'node:util'
import { RANGE } from './assertion-parser.js'
import type { AssertionOperator } from './assertion-types.js'
import { compileRegex } from './regex-literal.js'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)$/

/** A number from a number, a numeric string or a duration (`200ms`, `2s` → milliseconds). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const d = DURATION.exec(value)
  if (d !== null) return Number(d[1]) * (UNIT_MS[d[2] as string] ?? 1)
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/**
 * Loose equality: a header or regex capture is always a string, so `"200"`
 * must equal `200`, and `2s` must equal a latency of 2000.
 */
export function looseEqual(actual: unknown, target: unknown): boolean {
  if (typeof actual === 'number' || typeof target === 'number') {
    const a = toNumber(actual)
    const b = toNumber(target)
    if (a !== undefined && b !== undefined) return a === b
  }
  if (typeof actual === 'boolean' && typeof target === 'string') return String(actual) === target
  if (typeof target === 'boolean' && typeof actual === 'string') return String(target) === actual
  return isDeepStrictEqual(actual, target)
}

function order(actual: unknown, target: unknown): number | undefined {
  const a = toNumber(actual)
  const b = toNumber(target)
  if (a !== undefined && b !== undefined) return a - b
  // ISO dates and versions-as-strings still order sensibly as plain strings.
  if (typeof actual === 'string' && typeof target === 'string') return actual < target ? -1 : actual > target ? 1 : 0
  return undefined
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

function contains(actual: unknown, target: unknown): boolean {
  if (typeof actual === 'string') return actual.includes(String(target))
  if (Array.isArray(actual)) return actual.some((item) => looseEqual(item, target))
  if (actual !== null && typeof actual === 'object') return typeof target === 'string' && Object.hasOwn(actual, target)
  if (typeof actual === 'number' || typeof actual === 'boolean') return String(actual).includes(String(target))
  return false
}

/** Applies one operator to one present value. Targets were validated at config time. */
export function applyOperator(op: AssertionOperator, actual: unknown, target: unknown): boolean {
  switch (op) {
    case '==':
      return looseEqual(actual, target)
    case '!=':
      return !looseEqual(actual, target)
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = order(actual, target)
      if (c === undefined) return false
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0
    }
    case 'contains':
      return contains(actual, target)
    case '!contains':
      return !contains(actual, target)
    case 'matches':
      if (typeof actual !== 'string' && typeof actual !== 'number') return false
      return compileRegex(String(target)).test(String(actual))
    case 'exists':
      return true
    case '!exists':
      return false
    case 'empty':
      return isEmpty(actual)
    case '!empty':
      return !isEmpty(actual)
    case 'in': {
      const m = RANGE.exec(String(target))
      const n = toNumber(actual)
      const lo = toNumber(m?.[1])
      const hi = toNumber(m?.[2])
      return n !== undefined && lo !== undefined && hi !== undefined && n >= lo && n <= hi
    }
  }
}
