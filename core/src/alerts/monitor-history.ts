import type { CheckResult, StateChangeEvent } from '@vedette/sdk'

/** How much history the rules on a monitor need. */
export interface HistoryNeed {
  runs: number
  windowMs: number
}

interface Entry {
  results: CheckResult[]
  transitions: StateChangeEvent[]
}

/** Most results kept per monitor, whatever the rules ask: bounds memory for a 1-second monitor with a 1-day window. */
export const MAX_RESULTS_KEPT = 5000

/**
 * Recent results and status changes per monitor, newest first, kept only for
 * monitors some rule watches and only as far back as their rules look.
 */
export class MonitorHistory {
  readonly #entries = new Map<string, Entry>()

  addResult(key: string, result: CheckResult, need: HistoryNeed): void {
    const entry = this.#entry(key)
    entry.results.unshift(result)
    const horizon = result.startedAt - need.windowMs
    let keep = entry.results.length
    while (keep > need.runs && keep > 1 && (entry.results[keep - 1] as CheckResult).startedAt <= horizon) keep--
    entry.results.length = Math.min(keep, MAX_RESULTS_KEPT)
  }

  addTransition(key: string, event: StateChangeEvent, need: HistoryNeed): void {
    const entry = this.#entry(key)
    entry.transitions.unshift(event)
    const horizon = event.at - need.windowMs
    while (entry.transitions.length > 1 && (entry.transitions.at(-1) as StateChangeEvent).at <= horizon) entry.transitions.pop()
    if (entry.transitions.length > 1000) entry.transitions.length = 1000
  }

  results(key: string): readonly CheckResult[] {
    return this.#entries.get(key)?.results ?? []
  }

  transitions(key: string): readonly StateChangeEvent[] {
    return this.#entries.get(key)?.transitions ?? []
  }

  forget(key: string): void {
    this.#entries.delete(key)
  }

  #entry(key: string): Entry {
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      entry = { results: [], transitions: [] }
      this.#entries.set(key, entry)
    }
    return entry
  }
}
