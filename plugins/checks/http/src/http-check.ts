import { performance } from 'node:perf_hooks'
import { defineCheck } from '@vedette/sdk'
import type { CheckContext, CheckOutcome } from '@vedette/sdk'
import { compileHttpConfig, parseHttpConfig } from './config.js'
import type { CompiledHttpConfig, HttpCheckConfig } from './config.js'
import { describeFailure, phaseOfStage } from './describe-error.js'
import { exchange } from './exchange.js'
import type { HopRequest, PhaseTotals } from './hop.js'
import { invertOutcome } from './invert.js'
import { buildOutcome } from './outcome.js'
import type { RunState } from './outcome.js'
import { firstHeader, isRedirect, nextHop } from './redirect.js'
import { RunSignal } from './run-signal.js'
import { renderTemplate, templateValues } from './template.js'
import type { TemplateValues } from './template.js'

/**
 * Runs one HTTP(S) check: the request, then each redirect hop on a fresh
 * connection of its own, phases summed over all hops, and the final status
 * matched against `expectedStatus`; with `invert`, the verdict turned round.
 *
 * @example
 * const outcome = await runHttpCheck({ config: { url: 'http://127.0.0.1:8080/health' }, signal, timeoutMs: 5000, ... })
 */
export async function runHttpCheck(ctx: CheckContext<HttpCheckConfig>): Promise<CheckOutcome> {
  const config = parseHttpConfig(ctx.config)
  const stop = new RunSignal(ctx)
  try {
    const outcome = await follow(config, ctx, stop.signal)
    return config.invert ? invertOutcome(outcome) : outcome
  } finally {
    stop.dispose()
  }
}

async function follow(config: CompiledHttpConfig, ctx: CheckContext<HttpCheckConfig>, signal: AbortSignal): Promise<CheckOutcome> {
  const started = performance.now()
  const phases: PhaseTotals = { dns: 0, connect: 0, tls: 0, ttfb: 0, transfer: 0 }
  let request = firstRequest(config, ctx)
  let usedTls = request.url.protocol === 'https:'
  let redirects = 0
  for (;;) {
    const hop = await exchange(request, phases, signal)
    const run: RunState = { config, request, hop, phases, usedTls, redirects, started, wants: ctx.wants }
    if (hop.error !== undefined) return failed(run, ctx, signal)
    if (hop.bodyTooLarge) return buildOutcome(run, 'down', `response body exceeds maxBodyBytes (${config.maxBodyBytes} bytes)`)
    const location = config.followRedirects && isRedirect(hop.statusCode) ? firstHeader(hop.headers, 'location') : undefined
    if (location === undefined) return judged(run)
    if (redirects >= config.maxRedirects) {
      return buildOutcome(run, 'down', `too many redirects: more than ${config.maxRedirects}, next Location ${JSON.stringify(location)}`)
    }
    const next = nextHop(request, hop.statusCode, location)
    if (typeof next === 'string') return buildOutcome(run, 'down', next)
    request = next
    redirects++
    if (request.url.protocol === 'https:') usedTls = true
  }
}

/** The first hop's request, this run's placeholder values filled in. */
function firstRequest(config: CompiledHttpConfig, ctx: CheckContext<HttpCheckConfig>): HopRequest {
  const templated = config.urlTemplate !== undefined || config.bodyTemplate !== undefined || config.headerTemplates.length > 0
  const values: TemplateValues | undefined = templated ? templateValues(ctx.monitor) : undefined
  let { url, headers, body } = config
  if (values !== undefined) {
    if (config.urlTemplate !== undefined) url = new URL(renderTemplate(config.urlTemplate, values, encodeURIComponent))
    if (config.bodyTemplate !== undefined) body = renderTemplate(config.bodyTemplate, values)
    if (config.headerTemplates.length > 0) {
      headers = [...headers]
      for (const [index, template] of config.headerTemplates) headers[index] = renderTemplate(template, values, headerSafe)
    }
  }
  return {
    url,
    method: config.method,
    headers,
    body,
    tlsVerify: config.tlsVerify,
    tls: config.tls.origin,
    foreignTls: config.tls.foreign,
    http2: config.http2,
    maxBodyBytes: config.maxBodyBytes,
    // Assertions on the body need it read, even when it is not captured as an observation.
    captureBody: config.captureBody || ctx.wants?.body === true,
    reuseConnection: config.reuseConnection,
    timeoutMs: ctx.timeoutMs
  }
}

// A monitor name with a line break must not split a header in two.
function headerSafe(value: string): string {
  return value.replace(/[\r\n\0]/g, ' ')
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

function judged(run: RunState): CheckOutcome {
  const { statusCode, statusText } = run.hop
  const status = `${statusCode}${statusText === '' ? '' : ` ${statusText}`}`
  if (run.config.expectedStatus.matches(statusCode)) {
    const after = run.redirects === 0 ? '' : ` after ${run.redirects} redirect${run.redirects === 1 ? '' : 's'}`
    return buildOutcome(run, 'up', `HTTP ${status}${after}`)
  }
  return buildOutcome(run, 'down', `unexpected status ${status} (expected ${run.config.expectedStatus.description})`)
}

function failed(run: RunState, ctx: CheckContext<HttpCheckConfig>, signal: AbortSignal): CheckOutcome {
  const err = run.hop.error as Error
  if (signal.aborted) {
    const result = buildOutcome(run, 'down', `timed out after ${ctx.timeoutMs} ms (${phaseOfStage(run.hop.stage)} phase)`)
    result.reason = 'timeout'
    return result
  }
  return buildOutcome(run, 'down', describeFailure(run.hop.stage, err, run.request.url, { clientCert: run.request.tls.clientCert }))
}
