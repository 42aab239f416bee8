import type { CheckOutcome, CheckStatus } from '../check-result.js'
import { CHECK_STATUSES } from '../check-result.js'
import type { CheckTaskResult } from './check-task.js'

const MAX_MESSAGE = 1024

/**
 * Turns whatever a plugin returned into a result the engine can trust: a known
 * status, finite numbers, a bounded message, and only JSON data (a Map or a
 * function in observations would break structured cloning or storage later).
 */
export function normalizeOutcome(outcome: unknown, startedAt: number, elapsedMs: number): CheckTaskResult {
  if (outcome === null || typeof outcome !== 'object') {
    return { status: 'unknown', reason: 'error', message: 'check plugin returned no outcome object', startedAt, latencyMs: elapsedMs }
  }
  const o = outcome as Partial<CheckOutcome>
  if (!CHECK_STATUSES.includes(o.status as CheckStatus)) {
    return {
      status: 'unknown',
      reason: 'error',
      message: `check plugin returned an invalid status: ${JSON.stringify(o.status)}`,
      startedAt,
      latencyMs: elapsedMs
    }
  }
  const result: CheckTaskResult = {
    status: o.status as CheckStatus,
    startedAt,
    latencyMs: isFiniteNumber(o.latencyMs) && o.latencyMs >= 0 ? o.latencyMs : elapsedMs
  }
  if (typeof o.message === 'string' && o.message !== '') result.message = o.message.slice(0, MAX_MESSAGE)
  if (typeof o.reason === 'string' && o.reason !== '') result.reason = o.reason
  if (o.phases && typeof o.phases === 'object') {
    const phases: Record<string, number> = {}
    for (const [k, v] of Object.entries(o.phases)) if (isFiniteNumber(v)) phases[k] = v
    if (Object.keys(phases).length > 0) result.phases = phases
  }
  if (Array.isArray(o.metrics)) {
    const metrics = o.metrics.filter((m) => m && typeof m.label === 'string' && isFiniteNumber(m.value))
    if (metrics.length > 0) result.metrics = metrics.map((m) => ({ ...m }))
  }
  if (o.observations && typeof o.observations === 'object') {
    // A JSON round trip drops functions/undefined and fails loudly on cycles.
    try {
      result.observations = JSON.parse(JSON.stringify(o.observations)) as CheckTaskResult['observations']
    } catch (err) {
      result.observations = { error: `observations are not JSON: ${(err as Error).message}` }
    }
  }
  return result
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}
