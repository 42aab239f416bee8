import { performance } from 'node:perf_hooks'
import { defineCheck, networkErrorCode } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, Observations, PhaseTimings } from '@vedette/sdk'
import { compileHttpConfig, parseHttpConfig } from './config.js'
import type { CompiledHttpConfig, HttpCheckConfig } from './config.js'
import { describeFailure, phaseOfStage } from './describe-error.js'
import { exchange } from './exchange.js'
import type { HopRequest, HopResult, PhaseTotals } from './hop.js'
import { firstHeader, isRedirect, nextHop } from './redirect.js'

/**
 * Runs one HTTP(S) check: the request, then each redirect hop on a fresh
 * connection of its own, phases summed over all hops, and the final status
 * matched against `expectedStatus`.
 *
 * @example
 * const outcome = await runHttpCheck({ config: { url: 'http://127.0.0.1:8080/health' }, signal, timeoutMs: 5000, ... })
 */
export async function runHttpCheck(ctx: CheckContext<HttpCheckConfig>): Promise<CheckOutcome> {
  const config = parseHttpConfig(ctx.config)
  const started = performance.now()
  const phases: PhaseTotals = { dns: 0, connect: 0, tls: 0, ttfb: 0, transfer: 0 }
  let request: HopRequest = {
    url: config.url,
    method: config.method,
    headers: config.headers,
    body: config.body,
    tlsVerify: config.tlsVerify,
    maxBodyBytes: config.maxBodyBytes,
    // Assertions on the body need it read, even when it is not captured as an observation.
    captureBody: config.captureBody || ctx.wants?.body === true,
    reuseConnection: config.reuseConnection,
    timeoutMs: ctx.timeoutMs
  }
  let usedTls = request.url.protocol === 'https:'
  let redirects = 0
  for (;;) {
    const hop = await exchange(request, phases, ctx.signal)
    const run: RunState = { config, request, hop, phases, usedTls, redirects, started, wants: ctx.wants }
    if (hop.error !== undefined) return failed(run, ctx)
    if (hop.bodyTooLarge) return outcome(run, 'down', `response body exceeds maxBodyBytes (${config.maxBodyBytes} bytes)`)
    const location = config.followRedirects && isRedirect(hop.statusCode) ? firstHeader(hop.headers, 'location') : undefined
    if (location === undefined) return judged(run)
    if (redirects >= config.maxRedirects) {
      return outcome(run, 'down', `too many redirects: more than ${config.maxRedirects}, next Location ${JSON.stringify(location)}`)
    }
    const next = nextHop(request, hop.statusCode, location)
    if (typeof next === 'string') return outcome(run, 'down', next)
    request = next
    redirects++
    if (request.url.protocol === 'https:') usedTls = true
  }
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateHttpConfig(config: HttpCheckConfig): string[] {
  const problems: string[] = []
  compileHttpConfig(config, problems)
  return problems
}

/** The plugin: the package's default export. */
export const httpCheck = defineCheck<HttpCheckConfig>({
  run: runHttpCheck,
  validate: validateHttpConfig
})

interface RunState {
  config: CompiledHttpConfig
  request: HopRequest
  hop: HopResult
  phases: PhaseTotals
  usedTls: boolean
  redirects: number
  started: number
  wants: CheckContext<HttpCheckConfig>['wants']
}

function judged(run: RunState): CheckOutcome {
  const { statusCode, statusText } = run.hop
  const status = `${statusCode}${statusText === '' ? '' : ` ${statusText}`}`
  if (run.config.expectedStatus.matches(statusCode)) {
    const after = run.redirects === 0 ? '' : ` after ${run.redirects} redirect${run.redirects === 1 ? '' : 's'}`
    return outcome(run, 'up', `HTTP ${status}${after}`)
  }
  return outcome(run, 'down', `unexpected status ${status} (expected ${run.config.expectedStatus.description})`)
}

function failed(run: RunState, ctx: CheckContext<HttpCheckConfig>): CheckOutcome {
  const err = run.hop.error as Error
  if (ctx.signal.aborted) {
    // Inside the worker the runtime's own timeout result wins the race; this
    // one is for callers that run the check directly.
    const result = outcome(run, 'down', `timed out after ${ctx.timeoutMs} ms (${phaseOfStage(run.hop.stage)} phase)`)
    result.reason = 'timeout'
    return result
  }
  return outcome(run, 'down', describeFailure(run.hop.stage, err, run.request.url))
}

function outcome(run: RunState, status: 'up' | 'down', message: string): CheckOutcome {
  const { hop, phases } = run
  // With reuseConnection the pool sets connections up out of sight: no dns/connect/tls to report.
  const timings: PhaseTimings = run.config.reuseConnection ? {} : { dns: phases.dns, connect: phases.connect }
  // `tls` only when some hop used HTTPS, so "no TLS" is not mistaken for "instant TLS".
  if (run.usedTls && !run.config.reuseConnection) timings.tls = phases.tls
  timings.ttfb = phases.ttfb
  timings.transfer = phases.transfer
  const observations: Observations = {
    redirects: run.redirects,
    finalUrl: run.request.url.href,
    responseBytes: hop.bodyBytes
  }
  if (hop.statusCode !== 0) {
    observations.statusCode = hop.statusCode
    // undici speaks HTTP/1.1 on every connection this check opens (ALPN http/1.1).
    observations.httpVersion = '1.1'
    const contentType = firstHeader(hop.headers, 'content-type')
    if (contentType !== undefined) observations.contentType = contentType
  }
  if (hop.remoteAddress !== undefined) observations.remoteAddress = hop.remoteAddress
  if (hop.tlsVersion !== undefined) observations.tlsVersion = hop.tlsVersion
  if (hop.tlsAuthorized !== undefined) observations.tlsAuthorized = hop.tlsAuthorized
  if (hop.certNotAfter !== undefined) {
    observations.certNotAfter = hop.certNotAfter
    observations.daysUntilExpiry = Math.round(((Date.parse(hop.certNotAfter) - Date.now()) / 86_400_000) * 1000) / 1000
  }
  if (hop.certSubject !== undefined) observations.certSubject = hop.certSubject
  if (hop.certIssuer !== undefined) observations.certIssuer = hop.certIssuer
  if (hop.error !== undefined) {
    observations.failedPhase = phaseOfStage(hop.stage)
    const code = networkErrorCode(hop.error)
    if (code !== undefined) observations.errorCode = code
  }
  if (run.config.captureHeaders && hop.headers !== undefined) observations.headers = headersObservation(hop.headers)
  const body = hop.body !== undefined && hop.statusCode !== 0 ? Buffer.concat(hop.body).toString('utf8') : undefined
  if (body !== undefined && run.config.captureBody) observations.body = body
  // What assertions read but nobody stores: the body and headers, only when asked for.
  const context: NonNullable<CheckOutcome['context']> = {}
  if (run.wants?.body && body !== undefined) context.body = body
  if (run.wants?.headers && hop.headers !== undefined) context.headers = hop.headers
  return {
    status,
    message,
    latencyMs: performance.now() - run.started,
    phases: timings,
    observations,
    ...(context.body !== undefined || context.headers !== undefined ? { context } : {})
  }
}

function headersObservation(headers: HopResult['headers'] & object): Observations {
  const out: Observations = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined) out[name] = value
  }
  return out
}
