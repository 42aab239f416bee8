import { isIPv6 } from 'node:net'
import { performance } from 'node:perf_hooks'
import { defineCheck, describeNetworkError, networkErrorCode, networkErrorDetail } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, Observations, PhaseTimings } from '@vedette/sdk'
import { certificateFacts } from './certificate-facts.js'
import type { CertificateFacts } from './certificate-facts.js'
import { parseTlsConfig, validateTlsConfig } from './config.js'
import type { CompiledTlsConfig, TlsCheckConfig } from './config.js'
import { formatDays, judgeCertificate } from './judge.js'
import { probe } from './probe.js'
import type { ProbeResult, TlsSession } from './probe.js'

/**
 * Runs one TLS check: connect (+ SMTP STARTTLS), handshake accepting any
 * certificate, then report the certificate's facts and judge them.
 *
 * @example
 * const outcome = await runTlsCheck({ config: { host: 'shop.example', minDaysUntilExpiry: 14 }, signal, timeoutMs: 10_000, ... })
 * outcome.observations?.daysUntilExpiry // 41.7
 */
export async function runTlsCheck(ctx: CheckContext<TlsCheckConfig>): Promise<CheckOutcome> {
  const config = parseTlsConfig(ctx.config)
  const started = performance.now()
  const result = await probe(config, ctx.signal)
  const latencyMs = performance.now() - started
  const endpoint = isIPv6(config.host) ? `[${config.host}]:${config.port}` : `${config.host}:${config.port}`
  const fail = (message: string): CheckOutcome => outcome(config, result, latencyMs, 'down', message, {})
  switch (result.end) {
    case 'aborted': {
      const timedOut = fail(`timed out after ${ctx.timeoutMs} ms (${result.stage} stage)`)
      timedOut.reason = 'timeout'
      return timedOut
    }
    case 'error': {
      const err = result.error as Error
      if (result.stage === 'starttls') return fail(`STARTTLS with ${endpoint} failed: ${networkErrorDetail(err)}`)
      return fail(describeNetworkError(err, { stage: result.stage, endpoint }))
    }
    case 'closed':
      return fail(`${endpoint} closed the connection during the ${result.stage === 'dns' ? 'connect' : result.stage} stage`)
    case 'refused':
      return fail(`STARTTLS with ${endpoint} failed: ${String(result.failure)}`)
    case 'handshake':
      break
  }
  const session = result.session as TlsSession
  if (session.leaf === undefined) return fail(`${endpoint} presented no certificate`)
  const now = Date.now()
  const facts = certificateFacts(session.leaf, session.detailed, now)
  const observations = factObservations(facts, session)
  const problems = judgeCertificate(config, facts, session, now)
  if (problems.length > 0) return outcome(config, result, latencyMs, 'down', `certificate of ${endpoint} ${problems.join('; ')}`, observations)
  return outcome(
    config,
    result,
    latencyMs,
    'up',
    `certificate of ${endpoint} (${facts.subject}) valid for ${formatDays(facts.daysUntilExpiry)}, until ${facts.notAfter}, over ${session.tlsVersion ?? 'TLS'}`,
    observations
  )
}

/** The plugin: the package's default export. */
export const tlsCheck = defineCheck<TlsCheckConfig>({
  run: runTlsCheck,
  validate: validateTlsConfig
})

function factObservations(facts: CertificateFacts, session: TlsSession): Observations {
  const observations: Observations = {
    daysUntilExpiry: facts.daysUntilExpiry,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    // The name the engine's certificate-expiry metric reads (docs/metrics.md).
    certNotAfter: facts.notAfter,
    subject: facts.subject,
    subjectFull: facts.subjectFull,
    issuer: facts.issuer,
    issuerFull: facts.issuerFull,
    sans: facts.sans,
    serialNumber: facts.serialNumber,
    fingerprint256: facts.fingerprint256,
    selfSigned: facts.selfSigned,
    chainTrusted: session.authorized,
    hostnameVerified: session.hostnameError === undefined,
    chain: facts.chain
  }
  if (facts.keyType !== undefined) observations.keyType = facts.keyType
  if (facts.keyBits !== undefined) observations.keyBits = facts.keyBits
  if (facts.signatureAlgorithm !== undefined) observations.signatureAlgorithm = facts.signatureAlgorithm
  if (session.authorizationError !== undefined) observations.trustError = session.authorizationError
  if (session.hostnameError !== undefined) observations.hostnameError = session.hostnameError
  if (session.tlsVersion !== undefined) observations.tlsVersion = session.tlsVersion
  if (session.cipher !== undefined) observations.cipher = session.cipher
  return observations
}

function outcome(
  config: CompiledTlsConfig,
  result: ProbeResult,
  latencyMs: number,
  status: 'up' | 'down',
  message: string,
  observations: Observations
): CheckOutcome {
  const { phases } = result
  const timings: PhaseTimings = { connect: phases.connect }
  if (config.starttls !== 'none') timings.starttls = phases.starttls
  timings.tls = phases.tls
  if (result.remoteAddress !== undefined) observations.remoteAddress = result.remoteAddress
  if (result.end !== 'handshake') {
    observations.failedPhase = result.stage
    const code = networkErrorCode(result.error)
    if (code !== undefined) observations.errorCode = code
  }
  return { status, message, latencyMs, phases: timings, observations }
}
