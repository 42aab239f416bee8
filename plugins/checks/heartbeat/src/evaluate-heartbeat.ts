import type { CheckOutcome, Metric, Observations, PushPing, PushState } from '@vedette/sdk'
import type { CompiledHeartbeat } from './config.js'
import { expectation } from './schedule.js'

/** Most characters of a job's log kept in the `log` observation and the message. */
export const LOG_OBSERVATION_MAX = 1000

/**
 * Judges a heartbeat monitor from its pings, newest first. In order: the
 * newest finished run reporting failure (`/fail`, a non-zero exit code) is
 * `down` until a success follows it (the most useful message), then a late
 * success is `down` (missing), then a run started longer than grace ago without finishing is `down`; otherwise
 * `up` once a success has been seen, and `unknown` while the first one is not
 * yet due (nothing to judge).
 */
export function evaluateHeartbeat(config: CompiledHeartbeat, state: PushState): CheckOutcome {
  const { pings, now } = state
  const finished = pings.filter(isFinish)
  const lastFinish = finished[0]
  const lastSuccess = finished.find(isSuccess)
  const expect = expectation(config, lastSuccess?.at, state.since, now)
  const open = openRuns(pings)
  const duration = lastFinish === undefined ? undefined : runDuration(pings, lastFinish)

  const observations: Observations = { pingsReceived: pings.length, nextExpectedAt: expect.nextExpectedAt, openRuns: open.length }
  if (pings[0] !== undefined) Object.assign(observations, { lastPingAt: pings[0].at, lastPingKind: pings[0].kind })
  if (lastSuccess !== undefined) observations.lastSuccessAt = lastSuccess.at
  if (lastFinish?.exitCode !== undefined) observations.lastExitCode = lastFinish.exitCode
  if (lastFinish?.runId !== undefined) observations.runId = lastFinish.runId
  if (lastFinish?.body !== undefined) observations.log = lastFinish.body.slice(0, LOG_OBSERVATION_MAX)
  if (duration !== undefined) observations.lastDurationMs = duration
  const metrics: Metric[] = duration === undefined ? [] : [{ label: 'duration', value: duration, unit: 'ms', min: 0 }]
  const outcome = (status: CheckOutcome['status'], stateName: string, message: string): CheckOutcome => ({
    status,
    message,
    observations: { ...observations, state: stateName },
    ...(metrics.length > 0 ? { metrics } : {})
  })

  if (lastFinish !== undefined && !isSuccess(lastFinish)) {
    const code = lastFinish.kind === 'exit' ? ` with exit code ${lastFinish.exitCode}` : ''
    const log = lastFinish.body ? `: ${firstLine(lastFinish.body)}` : ''
    return outcome('down', 'failed', `the job reported failure${code} at ${iso(lastFinish.at)}${log}`)
  }
  const answered = lastSuccess !== undefined && expect.answeredAfter !== undefined && lastSuccess.at >= expect.answeredAfter
  if (expect.overdueFrom !== undefined && !answered) {
    observations.lateByMs = now - expect.overdueFrom
    const last = lastSuccess === undefined ? 'no success ping yet' : `last success ${iso(lastSuccess.at)}`
    return outcome('down', 'late', `missing: a success was due ${iso(expect.overdueFrom)} (grace ${human(config.graceMs)}); ${last}`)
  }
  const stuck = open.find((start) => start.at + config.graceMs <= now)
  if (stuck !== undefined) {
    const rid = stuck.runId === undefined ? '' : ` (run ${stuck.runId})`
    return outcome('down', 'stuck', `a run started ${iso(stuck.at)}${rid} has not finished within grace ${human(config.graceMs)}`)
  }
  if (lastSuccess === undefined) return outcome('unknown', 'waiting', `waiting for the first success ping (expected by ${iso(expect.nextExpectedAt)})`)
  const ran = duration === undefined ? '' : ` in ${human(duration)}`
  const running = open.length > 0 ? `; ${open.length} run(s) in progress` : ''
  return outcome('up', open.length > 0 ? 'running' : 'ok', `last success ${iso(lastSuccess.at)}${ran}; next expected by ${iso(expect.nextExpectedAt)}${running}`)
}

function isFinish(ping: PushPing): boolean {
  return ping.kind !== 'start'
}

function isSuccess(ping: PushPing): boolean {
  return ping.kind === 'success' || (ping.kind === 'exit' && ping.exitCode === 0)
}

/**
 * Starts with no finish after them: a finish closes the start with its run id,
 * or, without run ids, every start before it (one job, one run at a time).
 */
function openRuns(pings: readonly PushPing[]): PushPing[] {
  const open: PushPing[] = []
  const closedIds = new Set<string>()
  let anonymousClosed = false
  for (const ping of pings) {
    if (isFinish(ping)) {
      if (ping.runId === undefined) anonymousClosed = true
      else closedIds.add(ping.runId)
      continue
    }
    const closed = ping.runId === undefined ? anonymousClosed : closedIds.has(ping.runId) || anonymousClosed
    if (!closed) open.push(ping)
  }
  return open.reverse()
}

/** From the start that opened `finish` (same run id, else the newest start before it) to it. */
function runDuration(pings: readonly PushPing[], finish: PushPing): number | undefined {
  const index = pings.indexOf(finish)
  for (const ping of pings.slice(index + 1)) {
    if (isFinish(ping) && finish.runId === undefined) return undefined
    if (ping.kind === 'start' && (finish.runId === undefined || ping.runId === finish.runId)) return finish.at - ping.at
  }
  return undefined
}

function iso(at: number): string {
  return new Date(at).toISOString()
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

function human(msValue: number): string {
  if (msValue < 1000) return `${Math.round(msValue)}ms`
  if (msValue < 120_000) return `${Math.round(msValue / 100) / 10}s`
  if (msValue < 7_200_000) return `${Math.round(msValue / 6000) / 10}m`
  return `${Math.round(msValue / 360_000) / 10}h`
}
