import { defineCheck, runProcess, reportBy } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, CheckStatus, Metric, Observations } from '@vedette/sdk'
import { compileIcmpConfig, parseIcmpConfig, pingArgs } from './config.js'
import type { CompiledIcmpConfig, IcmpCheckConfig } from './config.js'
import { parsePingOutput } from './parse-ping.js'
import type { PingSummary } from './parse-ping.js'

/** Longest `output` observation, in characters. */
export const OUTPUT_OBSERVATION_MAX = 4096

/** ping's output for a few hundred packets is far below this. */
const MAX_OUTPUT_BYTES = 256 * 1024

// Failures that are about this host's setup, not the target: unknown, not down.
const PRIVILEGE = /operation not permitted|permission denied|cannot flood|minimal interval|lacking privilege/i

/**
 * Pings a host with the system's iputils `ping` and judges loss and round trips.
 *
 * @example
 * await runIcmpCheck({ config: { host: '10.0.0.1', count: 5, maxLossPercent: 20 }, signal, timeoutMs: 10000, ... })
 */
export async function runIcmpCheck(ctx: CheckContext<IcmpCheckConfig>): Promise<CheckOutcome> {
  const config = parseIcmpConfig(ctx.config)
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(), Math.max(0, reportBy(ctx) - Date.now()))
  let result: Awaited<ReturnType<typeof runProcess>>
  try {
    result = await runProcess('ping', {
      args: pingArgs(config),
      // LC_ALL=C: iputils parses -i and prints numbers in the locale's format.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      signal: AbortSignal.any([ctx.signal, stop.signal]),
      maxOutputBytes: MAX_OUTPUT_BYTES
    })
  } finally {
    clearTimeout(timer)
  }
  if (result.end === 'error') {
    const message = result.error.code === 'ENOENT' ? 'ping not found in PATH: install iputils-ping' : `could not start ping: ${result.error.message}`
    return { status: 'unknown', message }
  }
  const stdout = result.stdout.trim()
  const observations: Observations = { output: stdout.length > OUTPUT_OBSERVATION_MAX ? stdout.slice(0, OUTPUT_OBSERVATION_MAX) : stdout }
  if (result.end === 'aborted') {
    return { status: 'down', reason: 'timeout', message: `timed out after ${ctx.timeoutMs} ms; ping was killed (count × interval + replyTimeout must fit in the timeout)`, observations }
  }
  observations.exitCode = result.exitCode
  const summary = parsePingOutput(result.stdout)
  if (summary === undefined) {
    // No statistics: ping gave up before sending (unknown host, bad option, no privilege).
    const why = firstLine(result.stderr) || firstLine(result.stdout) || `ping exited with code ${String(result.exitCode)}`
    return { status: PRIVILEGE.test(why) ? 'unknown' : 'down', message: why, observations }
  }
  return judge(config, summary, result.stdout, observations)
}

function judge(config: CompiledIcmpConfig, s: PingSummary, stdout: string, observations: Observations): CheckOutcome {
  if (s.address !== undefined) observations.address = s.address
  Object.assign(observations, { transmitted: s.transmitted, received: s.received, lossPercent: s.lossPercent })
  if (s.duplicates > 0) observations.duplicates = s.duplicates
  if (s.errors > 0) observations.errors = s.errors
  const metrics: Metric[] = [{ label: 'loss', value: s.lossPercent, unit: '%', warn: config.maxLossPercent, min: 0, max: 100 }]
  if (s.rtt !== undefined) {
    Object.assign(observations, { rttMin: s.rtt.min, rttAvg: s.rtt.avg, rttMax: s.rtt.max })
    if (s.rtt.stddev !== undefined) observations.rttStddev = s.rtt.stddev
    metrics.unshift({ label: 'rtt', value: s.rtt.avg, unit: 'ms', min: 0 })
  }
  const counts = `${s.received}/${s.transmitted} replies`
  let status: CheckStatus
  let message: string
  if (s.received === 0) {
    status = 'down'
    // ICMP errors name the router that gave up: `From 10.0.0.1 icmp_seq=1 Destination Host Unreachable`.
    const icmpError = /^From .*$/m.exec(stdout)?.[0]
    message = `no reply from ${config.host} (${counts}, ${s.lossPercent}% packet loss${icmpError === undefined ? '' : `; ${icmpError}`})`
  } else if (s.lossPercent > config.maxLossPercent) {
    status = 'degraded'
    message = `${s.lossPercent}% packet loss from ${config.host} (${counts}, more than maxLossPercent ${config.maxLossPercent}), rtt avg ${s.rtt?.avg ?? '?'} ms`
  } else {
    status = 'up'
    message = `${counts} from ${config.host}, rtt avg ${s.rtt?.avg ?? '?'} ms`
  }
  // The round trip is the latency that matters for a ping, not the time spent waiting between requests.
  return { status, message, observations, metrics, ...(s.rtt !== undefined ? { latencyMs: s.rtt.avg } : {}) }
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateIcmpConfig(config: IcmpCheckConfig): string[] {
  const problems: string[] = []
  compileIcmpConfig(config, problems)
  return problems
}

/** The plugin: the package's default export. */
export const icmpCheck = defineCheck<IcmpCheckConfig>({
  run: runIcmpCheck,
  validate: validateIcmpConfig
})


function firstLine(text: string): string {
  return (text.trim().split('\n', 1)[0] ?? '').trim()
}
