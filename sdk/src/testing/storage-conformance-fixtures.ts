import { isDeepStrictEqual } from 'node:util'
import type { Test } from 'tap'
import type { CheckResult } from '../check-result.js'
import type { StateChangeEvent } from '../hooks.js'
import type { RetentionPolicy } from '../retention.js'
import type { LatencySummary, MonitorRecord, Page, StorageInstance } from '../storage.js'

/** Opens a fresh, started store (with the given retention, if any) that is stopped when `t` ends. */
export type OpenStore = (t: Test, options?: { retention?: RetentionPolicy }) => Promise<StorageInstance>

/** A fixed instant keeps every failure reproducible. */
export const T0 = Date.UTC(2025, 0, 1)
export const SECOND = 1_000
export const MINUTE = 60_000

export const TENANT_A = 'tenant-a'
export const TENANT_B = 'tenant-b'

/**
 * Backends may keep latencies and phase timings at microsecond precision (the
 * SQLite store keeps integer microseconds), so they compare within half a µs.
 */
export const LATENCY_TOLERANCE = 0.0005 + 1e-9

export function monitorRecord(tenantId: string, id: string, over: Partial<MonitorRecord> = {}): MonitorRecord {
  return {
    tenantId,
    id,
    name: `Monitor ${id}`,
    type: 'http',
    enabled: true,
    tags: ['prod', 'api'],
    definition: { interval: '30s', timeout: '10s', config: { url: `https://example.test/${id}`, method: 'GET' } },
    createdAt: T0,
    updatedAt: T0,
    ...over
  }
}

/**
 * A result the way the HTTP check produces most of them: up, five phase
 * timings with sub-millisecond fractions (performance.now() differences) and
 * two small observations.
 */
export function httpResult(tenantId: string, monitorId: string, startedAt: number, i = 0): CheckResult {
  const k = i % 97
  return {
    tenantId,
    monitorId,
    startedAt,
    status: 'up',
    latencyMs: 40.123 + k * 1.25,
    phases: { dns: 1.234 + (k % 5), connect: 3.456, tls: 9.871 + k * 0.01, ttfb: 21.5 + k, transfer: 0.612 },
    observations: { statusCode: 200, redirects: 0 }
  }
}

/** A result that fills every optional field with awkward values. */
export function fullResult(tenantId: string, monitorId: string, startedAt: number): CheckResult {
  return {
    tenantId,
    monitorId,
    startedAt,
    status: 'degraded',
    latencyMs: 1234.567,
    message: 'Slow "answer" — 1.2 s > 1 s ✓ 𝄞\nsecond line',
    reason: 'timeout',
    phases: { dns: 0.001, connect: 12.5, tls: 100.25, ttfb: 1000.999, transfer: 0, queue: 3.3 },
    metrics: [
      { label: 'rta', value: 12.5, unit: 'ms', warn: 100, crit: 200, min: 0, max: 1000 },
      { label: 'pl', value: 0, unit: '%' },
      { label: 'count', value: -3 }
    ],
    observations: {
      statusCode: 503,
      redirects: 2,
      ok: false,
      server: 'nginx/1.25',
      empty: '',
      none: null,
      ratio: 0.125,
      big: 9007199254740991,
      headers: { 'content-type': 'application/json', 'x-ids': ['a', 'b'] },
      list: [1, 'two', true, null, { three: 3 }],
      nested: { a: { b: { c: [] } } }
    }
  }
}

export function transition(
  tenantId: string,
  monitorId: string,
  from: StateChangeEvent['from'],
  to: StateChangeEvent['to'],
  at: number,
  reason = `${from} -> ${to}`
): StateChangeEvent {
  return { tenantId, monitorId, from, to, reason, at }
}

/** Follows `nextCursor` to the end; fails loudly instead of looping forever. */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 10_000
): Promise<{ items: T[]; sizes: number[] }> {
  const items: T[] = []
  const sizes: number[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await fetchPage(cursor)
    items.push(...page.items)
    sizes.push(page.items.length)
    if (page.nextCursor === undefined) return { items, sizes }
    if (typeof page.nextCursor !== 'string' || page.nextCursor === cursor) {
      throw new Error(`pagination is stuck: nextCursor ${String(page.nextCursor)} after ${pages + 1} pages`)
    }
    cursor = page.nextCursor
  }
  throw new Error(`pagination did not end within ${maxPages} pages`)
}

function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
}

function close(a: unknown, b: unknown): boolean {
  return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= LATENCY_TOLERANCE
}

/**
 * Why `actual` is not a faithful copy of `expected`, or undefined when it is.
 * Exact for every field except latencyMs and phase timings (µs tolerance).
 * Returning a string rather than asserting keeps loops over thousands of
 * results down to one assertion with a useful message.
 */
export function resultMismatch(actual: CheckResult | undefined, expected: CheckResult): string | undefined {
  const where = `${expected.tenantId}/${expected.monitorId}@${expected.startedAt}`
  if (actual === undefined) return `${where}: missing`
  if (!close(actual.latencyMs, expected.latencyMs)) return `${where}: latencyMs ${actual.latencyMs} != ${expected.latencyMs}`
  if ((actual.phases === undefined) !== (expected.phases === undefined)) return `${where}: phases presence differs`
  if (actual.phases !== undefined && expected.phases !== undefined) {
    const want = withoutUndefined(expected.phases)
    const got = withoutUndefined(actual.phases)
    if (!isDeepStrictEqual(Object.keys(got).sort(), Object.keys(want).sort())) {
      return `${where}: phase names ${Object.keys(got).join(',')} != ${Object.keys(want).join(',')}`
    }
    for (const [name, value] of Object.entries(want)) {
      if (!close(got[name], value)) return `${where}: phase ${name} ${String(got[name])} != ${String(value)}`
    }
  }
  const { latencyMs: _la, phases: _pa, ...restActual } = actual
  const { latencyMs: _le, phases: _pe, ...restExpected } = expected
  if (!isDeepStrictEqual(withoutUndefined(restActual), withoutUndefined(restExpected))) {
    return `${where}: ${JSON.stringify(withoutUndefined(restActual))} != ${JSON.stringify(withoutUndefined(restExpected))}`
  }
  return undefined
}

/** All mismatches of two equally ordered lists of results. */
export function resultListMismatches(actual: readonly CheckResult[], expected: readonly CheckResult[]): string[] {
  const out: string[] = []
  if (actual.length !== expected.length) out.push(`length ${actual.length} != ${expected.length}`)
  for (let i = 0; i < Math.min(actual.length, expected.length) && out.length < 5; i++) {
    const m = resultMismatch(actual[i], expected[i] as CheckResult)
    if (m !== undefined) out.push(`[${i}] ${m}`)
  }
  return out
}

export function latencyMismatch(actual: LatencySummary | null, expected: LatencySummary | null): string | undefined {
  if (actual === null || expected === null) return actual === expected ? undefined : `${JSON.stringify(actual)} != ${JSON.stringify(expected)}`
  for (const key of ['min', 'avg', 'max', 'p50', 'p95', 'p99'] as const) {
    if (!close(actual[key], expected[key])) return `${key}: ${actual[key]} != ${expected[key]}`
  }
  return undefined
}

/** A rejection the REST layer can turn into a 400: a coded Vedette error with statusCode 400. */
export async function rejectsAsBadRequest(t: Test, promise: Promise<unknown>, message: string): Promise<void> {
  await t.rejects(promise, { code: /^VDT_ERR_/, statusCode: 400 }, message)
}
