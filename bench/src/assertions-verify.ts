/**
 * Proof that the assertions bench measured what it claims: in the run with
 * assertions every result carries `observations.assertions` with one passing
 * entry per assertion (the JSON and regex ones can pass only if the body was
 * read), in the run without none does, and in both the whole body came over
 * the wire (`responseBytes`).
 */
import type { CheckResult } from '@vedette/sdk'
import type { Engine, Monitor } from '@vedette/core'

export interface Tally {
  results: number
  /** Results whose `observations.assertions` has the expected count, all passing. */
  allPassed: number
  /** Results with assertions that are not all there or not all passing. */
  failed: number
  /** Results without an `assertions` observation. */
  unjudged: number
  /** Results whose `responseBytes` is not the target's body size. */
  shortBodies: number
  /** Results that carry the body itself (it is read for assertions, never kept unless `captureBody`). */
  bodiesKept: number
  byStatus: Record<string, number>
  /** The first result that broke the expectation, for the report. */
  firstProblem: string | undefined
}

export function emptyTally(): Tally {
  return { results: 0, allPassed: 0, failed: 0, unjudged: 0, shortBodies: 0, bodiesKept: 0, byStatus: {}, firstProblem: undefined }
}

interface AssertionEntry {
  expr?: unknown
  pass?: unknown
  actual?: unknown
}

/** Counts one result against the expectation: `expected` passing assertions (0: none at all). */
export function count(t: Tally, result: CheckResult, expected: number, bodyBytes: number): void {
  t.results++
  t.byStatus[result.status] = (t.byStatus[result.status] ?? 0) + 1
  const entries = result.observations?.['assertions'] as AssertionEntry[] | undefined
  if (result.observations?.['responseBytes'] !== bodyBytes) {
    t.shortBodies++
    t.firstProblem ??= `${result.monitorId}: responseBytes ${String(result.observations?.['responseBytes'])}, expected ${bodyBytes} (${result.status}: ${result.message ?? ''})`
  }
  if (result.observations?.['body'] !== undefined) t.bodiesKept++
  if (!Array.isArray(entries)) {
    t.unjudged++
    if (expected > 0) t.firstProblem ??= `${result.monitorId}: no observations.assertions (${result.status}: ${result.message ?? ''})`
    return
  }
  if (entries.length === expected && entries.every((e) => e.pass === true)) {
    t.allPassed++
    return
  }
  t.failed++
  const bad = entries.find((e) => e.pass !== true)
  t.firstProblem ??= `${result.monitorId}: ${entries.length} assertions${bad === undefined ? '' : `, failed: ${String(bad.expr)} (actual ${JSON.stringify(bad.actual)})`}`
}

/** Every stored result of every monitor that started in [from, to), read back through the storage plugin. */
export async function tallyStored(engine: Engine, monitors: readonly Monitor[], from: number, to: number, expected: number, bodyBytes: number): Promise<Tally> {
  await engine.flush()
  const t = emptyTally()
  for (const m of monitors) {
    let cursor: string | undefined
    do {
      const page = await engine.storage.queryResults(m.tenantId, m.id, { from, to, limit: 1000, order: 'asc', ...(cursor === undefined ? {} : { cursor }) })
      for (const r of page.items) count(t, r, expected, bodyBytes)
      cursor = page.nextCursor
    } while (cursor !== undefined)
  }
  return t
}

/** The stored assertions of a monitor's newest result, one line each, to show what users get. */
export async function sampleAssertions(engine: Engine, monitor: Monitor): Promise<string> {
  const latest = (await engine.storage.latestResults(monitor.tenantId, [monitor.id])).get(monitor.id)
  const entries = latest?.observations?.['assertions'] as AssertionEntry[] | undefined
  if (!Array.isArray(entries)) return `  ${monitor.id}: no stored assertions`
  return entries.map((e) => `  ${e.pass === true ? 'pass' : 'FAIL'}  ${String(e.expr)}  (actual ${JSON.stringify(e.actual)})`).join('\n')
}

export function describeTally(t: Tally, expected: number): string {
  const statuses = Object.entries(t.byStatus)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ')
  const judged =
    expected > 0
      ? `${t.allPassed.toLocaleString('en-US')} with ${expected}/${expected} assertions passed, ${t.failed.toLocaleString('en-US')} failed, ${t.unjudged.toLocaleString('en-US')} unjudged`
      : `${t.unjudged.toLocaleString('en-US')} without assertions, ${(t.allPassed + t.failed).toLocaleString('en-US')} with`
  return `${t.results.toLocaleString('en-US')} results (${statuses}); ${judged}; ${t.shortBodies.toLocaleString('en-US')} with a short body; ${t.bodiesKept.toLocaleString('en-US')} carrying the body${t.firstProblem === undefined ? '' : `; first problem: ${t.firstProblem}`}`
}

/** True when the tally is what the variant promised. */
export function tallyOk(t: Tally, expected: number): boolean {
  if (t.results === 0 || t.shortBodies > 0 || t.bodiesKept > 0) return false
  return expected > 0 ? t.allPassed === t.results : t.unjudged === t.results
}
