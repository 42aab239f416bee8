import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'
import { defineCheck, networkErrorCode, reportBy } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, Observations, PhaseTimings } from '@vedette/sdk'
import { compileTcpConfig, parseTcpConfig } from './config.js'
import type { CompiledTcpConfig, TcpCheckConfig } from './config.js'
import { describeSocketError, excerpt } from './describe-error.js'
import { probe } from './probe.js'
import type { ProbeResult } from './probe.js'

/** Longest `response` observation, in characters. */
export const RESPONSE_OBSERVATION_MAX = 1024

/**
 * Runs one TCP check: connect (+ TLS), optionally send, optionally wait for
 * the expectation.
 *
 * @example
 * const outcome = await runTcpCheck({ config: { host: 'smtp.internal', port: 25, expect: '220 ' }, signal, timeoutMs: 5000, ... })
 */
export async function runTcpCheck(ctx: CheckContext<TcpCheckConfig>): Promise<CheckOutcome> {
  const config = parseTcpConfig(ctx.config)
  const started = performance.now()
  const result = await probe(config, ctx.signal, reportBy(ctx))
  const endpoint = isIPv6(config.host) ? `[${config.host}]:${config.port}` : `${config.host}:${config.port}`
  const latencyMs = performance.now() - started
  const wanted = config.expectation?.description
  switch (result.end) {
    case 'connected':
      return outcome(config, result, latencyMs, 'up', `connected to ${endpoint}${result.tlsVersion === undefined ? '' : ` over ${result.tlsVersion}`}`)
    case 'matched':
      return outcome(config, result, latencyMs, 'up', `${endpoint} answered ${wanted}`)
    case 'closed':
      // Without an expectation only `send` can be cut short by the peer.
      if (wanted === undefined) return outcome(config, result, latencyMs, 'down', `${endpoint} closed the connection before send was written`)
      return outcome(config, result, latencyMs, 'down', `expected ${wanted} not received: ${endpoint} closed the connection after sending ${excerpt(result.text)}`)
    case 'limit':
      return outcome(config, result, latencyMs, 'down', `expected ${wanted} not received in the first ${config.maxReadBytes} bytes (maxReadBytes); got ${excerpt(result.text)}`)
    case 'deadline':
      return outcome(config, result, latencyMs, 'down', `expected ${wanted} not received within ${Math.round(result.phases.expect)} ms; got ${excerpt(result.text)}`)
    case 'aborted': {
      const timedOut = outcome(config, result, latencyMs, 'down', `timed out after ${ctx.timeoutMs} ms (${result.stage} stage)`)
      timedOut.reason = 'timeout'
      return timedOut
    }
    case 'error':
      return outcome(config, result, latencyMs, 'down', describeSocketError(result.stage, result.error as Error, endpoint))
  }
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateTcpConfig(config: TcpCheckConfig): string[] {
  const problems: string[] = []
  compileTcpConfig(config, problems)
  return problems
}

/** The plugin: the package's default export. */
export const tcpCheck = defineCheck<TcpCheckConfig>({
  run: runTcpCheck,
  validate: validateTcpConfig
})


function outcome(config: CompiledTcpConfig, result: ProbeResult, latencyMs: number, status: 'up' | 'down', message: string): CheckOutcome {
  const { phases } = result
  // dns is 0 for an IP literal; tls and expect appear only when configured.
  const timings: PhaseTimings = { dns: phases.dns, connect: phases.connect }
  if (config.tls) timings.tls = phases.tls
  if (config.expectation !== undefined) timings.expect = phases.expect
  const observations: Observations = { connected: result.connected }
  if (config.expectation !== undefined) {
    observations.response = result.text.length > RESPONSE_OBSERVATION_MAX ? result.text.slice(0, RESPONSE_OBSERVATION_MAX) : result.text
    observations.responseBytes = result.bytes
  }
  if (result.remoteAddress !== undefined) observations.remoteAddress = result.remoteAddress
  if (result.tlsVersion !== undefined) observations.tlsVersion = result.tlsVersion
  if (result.tlsAuthorized !== undefined) observations.tlsAuthorized = result.tlsAuthorized
  if (result.error !== undefined && result.end === 'error') {
    observations.failedPhase = result.stage
    const code = networkErrorCode(result.error)
    if (code !== undefined) observations.errorCode = code
  }
  return { status, message, latencyMs, phases: timings, observations }
}
