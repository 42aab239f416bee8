import { performance } from 'node:perf_hooks'
import { networkErrorCode } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, Observations, PhaseTimings } from '@vedette/sdk'
import type { CompiledHttpConfig, HttpCheckConfig } from './config.js'
import { phaseOfStage } from './describe-error.js'
import type { HopRequest, HopResult, PhaseTotals } from './hop.js'
import { firstHeader } from './redirect.js'
import type { TlsSessionFacts } from './tls-session.js'

/** Where a run stands when it ends: the last hop and everything summed before it. */
export interface RunState {
  config: CompiledHttpConfig
  request: HopRequest
  hop: HopResult
  phases: PhaseTotals
  usedTls: boolean
  redirects: number
  started: number
  wants: CheckContext<HttpCheckConfig>['wants']
}

const DAY_MS = 86_400_000

/** The check's verdict with its phases, observations and, when assertions asked, the raw body and headers. */
export function buildOutcome(run: RunState, status: 'up' | 'down', message: string): CheckOutcome {
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
    if (hop.httpVersion !== undefined) observations.httpVersion = hop.httpVersion
    const contentType = firstHeader(hop.headers, 'content-type')
    if (contentType !== undefined) observations.contentType = contentType
  }
  if (hop.remoteAddress !== undefined) observations.remoteAddress = hop.remoteAddress
  if (hop.tls !== undefined) addTlsFacts(observations, hop.tls)
  if (hop.error !== undefined) {
    observations.failedPhase = phaseOfStage(hop.stage, hop.error)
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

function addTlsFacts(observations: Observations, tls: TlsSessionFacts): void {
  if (tls.tlsVersion !== undefined) observations.tlsVersion = tls.tlsVersion
  if (tls.tlsCipher !== undefined) observations.tlsCipher = tls.tlsCipher
  // What Node's own check says: chain and name both verified.
  observations.tlsAuthorized = tls.chainTrusted && tls.hostnameVerified
  observations.chainTrusted = tls.chainTrusted
  observations.hostnameVerified = tls.hostnameVerified
  const cert = tls.cert
  if (cert === undefined) return
  observations.certNotAfter = cert.notAfter
  // Rounded: thousandths of a day (under 90 s) are noise, and stored results stay short.
  observations.daysUntilExpiry = Math.round(((Date.parse(cert.notAfter) - Date.now()) / DAY_MS) * 1000) / 1000
  observations.certSubject = cert.subject
  observations.certIssuer = cert.issuer
  observations.certSans = cert.sans
  if (cert.keyType !== undefined) observations.certKeyType = cert.keyType
  if (cert.keyBits !== undefined) observations.certKeyBits = cert.keyBits
  if (cert.signatureAlgorithm !== undefined) observations.certSignatureAlgorithm = cert.signatureAlgorithm
  observations.certSelfSigned = cert.selfSigned
}

function headersObservation(headers: HopResult['headers'] & object): Observations {
  const out: Observations = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined) out[name] = value
  }
  return out
}
