import type { CertificateFacts } from './certificate-facts.js'
import type { CompiledTlsConfig } from './config.js'
import type { TlsSession } from './probe.js'

const DAY_MS = 86_400_000
// Trust errors that only restate the validity period, already reported on its own.
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])

/**
 * Why a certificate fails the monitor, in the order an operator fixes them:
 * validity dates, then trust, then the name. Empty means up.
 *
 * @example
 * judgeCertificate(config, facts, session, Date.now())
 * // ['expires in 5.0 days (2026-03-30T12:00:00.000Z), under minDaysUntilExpiry 14']
 */
export function judgeCertificate(config: CompiledTlsConfig, facts: CertificateFacts, session: TlsSession, now: number): string[] {
  const problems: string[] = []
  const days = facts.daysUntilExpiry
  let datesReported = false
  // Expired and not-yet-valid are down whatever requireTrusted says: no client accepts them.
  if (days < 0) {
    problems.push(`expired ${formatDays(-days)} ago (${facts.notAfter})`)
    datesReported = true
  } else if (Date.parse(facts.notBefore) > now) {
    problems.push(`not valid before ${facts.notBefore} (${formatDays((Date.parse(facts.notBefore) - now) / DAY_MS)} from now)`)
    datesReported = true
  } else if (config.minDaysUntilExpiry !== undefined && days < config.minDaysUntilExpiry) {
    problems.push(`expires in ${formatDays(days)} (${facts.notAfter}), under minDaysUntilExpiry ${config.minDaysUntilExpiry}`)
  }
  if (config.requireTrusted && !session.authorized) {
    const reason = session.authorizationError ?? 'not authorized'
    if (!(datesReported && DATE_ERRORS.has(reason))) {
      problems.push(`chain not trusted: ${reason} (set ca to trust a private CA or this certificate, or requireTrusted: false)`)
    }
  }
  if (config.requireHostname && session.hostnameError !== undefined) {
    problems.push(`not valid for ${config.verifyName}: ${session.hostnameError} (set servername, or requireHostname: false)`)
  }
  return problems
}

/** `5.0 days`, `1 hour`...: a duration in days, for messages. */
export function formatDays(days: number): string {
  if (days >= 1) return `${days.toFixed(1)} days`
  const hours = days * 24
  if (hours >= 1) return `${hours.toFixed(1)} hours`
  return `${Math.round(hours * 60)} minutes`
}
