import { setTimeout as sleep } from 'node:timers/promises'
import type { ObservationValue } from '@vedette/sdk'
import type { CheckTaskResult } from '@vedette/sdk/worker'
import type { Monitor } from '../config/types.js'

const NETWORK_PHASES = new Set(['dns', 'connect', 'tls'])

/**
 * Runs `attempt` again while the monitor's retry policy says so: only `down`
 * results (never `unknown`: an overloaded engine is not helped by more load),
 * and with `onlyOn: network` only failures to reach the target — a timeout, or
 * a check that reports the failing phase or a socket error code. The final
 * result is the last attempt's, keeping the run's first start time, with
 * every attempt listed in the observation `attempts`.
 */
export async function runWithRetries(monitor: Pick<Monitor, 'retry'>, attempt: () => Promise<CheckTaskResult>): Promise<CheckTaskResult> {
  const first = await attempt()
  const policy = monitor.retry
  if (policy === undefined) return first
  let out = first
  const tried: ObservationValue[] = []
  for (let n = 1; n < policy.attempts && shouldRetry(out, policy.onlyOn); n++) {
    tried.push(summary(out))
    await sleep(policy.backoff === 'exponential' ? policy.delayMs * 2 ** (n - 1) : policy.delayMs)
    out = await attempt()
  }
  if (tried.length === 0) return out
  tried.push(summary(out))
  return { ...out, startedAt: first.startedAt, observations: { ...(out.observations ?? {}), attempts: tried } }
}

function shouldRetry(out: CheckTaskResult, onlyOn: 'network' | 'any'): boolean {
  if (out.status !== 'down') return false
  if (onlyOn === 'any' || out.reason === 'timeout') return true
  const obs = out.observations ?? {}
  return (typeof obs.failedPhase === 'string' && NETWORK_PHASES.has(obs.failedPhase)) || typeof obs.errorCode === 'string'
}

function summary(out: CheckTaskResult): ObservationValue {
  return {
    startedAt: out.startedAt,
    status: out.status,
    latencyMs: Math.round(out.latencyMs * 1000) / 1000,
    ...(out.message === undefined ? {} : { message: out.message }),
    ...(out.reason === undefined ? {} : { reason: out.reason })
  }
}
