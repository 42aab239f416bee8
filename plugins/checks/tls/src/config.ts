import { isIP } from 'node:net'
import { InvalidTlsConfigError } from './errors.js'

/** How the TLS session starts: right away, or upgraded from a plain-text protocol. */
export type StartTlsMode = 'none' | 'smtp'

/** A monitor's `config` block for `type: tls`; mirrors `vedette.configSchema` in package.json. */
export interface TlsCheckConfig {
  /** Hostname or IP address. */
  host: string
  /** Default 443. */
  port?: number
  /** SNI name and the name the certificate must carry; defaults to `host`. */
  servername?: string
  /** Default `none`; `smtp` speaks EHLO / STARTTLS before the handshake. */
  starttls?: StartTlsMode
  /** PEM certificate(s) trusted instead of the system roots. */
  ca?: string
  /** Down when fewer days than this remain. */
  minDaysUntilExpiry?: number
  /** Default `true`: an untrusted chain is down. */
  requireTrusted?: boolean
  /** Default `true`: a certificate for another name is down. */
  requireHostname?: boolean
}

/** The defaults the schema documents; a test keeps the two in step. */
export const TLS_CHECK_DEFAULTS = {
  port: 443,
  starttls: 'none',
  requireTrusted: true,
  requireHostname: true
} as const

export interface CompiledTlsConfig {
  host: string
  port: number
  /** The name checked against the certificate: `servername` or `host`. */
  verifyName: string
  /** What goes in the SNI extension: never an IP address (RFC 6066 §3). */
  sni: string | undefined
  starttls: StartTlsMode
  ca: string | undefined
  minDaysUntilExpiry: number | undefined
  requireTrusted: boolean
  requireHostname: boolean
}

const STARTTLS_MODES: readonly string[] = ['none', 'smtp']

/**
 * Applies defaults and checks what JSON Schema cannot (or what a caller that
 * skipped it got wrong). Problems go to `problems`; the result is
 * `undefined` when there is any.
 *
 * @example
 * compileTlsConfig({ host: 'shop.example' }, []) // { port: 443, verifyName: 'shop.example', sni: 'shop.example', ... }
 */
export function compileTlsConfig(config: TlsCheckConfig, problems: string[]): CompiledTlsConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  if (typeof config.host !== 'string' || config.host === '') problems.push('host is required')
  const port = config.port ?? TLS_CHECK_DEFAULTS.port
  if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push('port must be an integer from 1 to 65535')
  if (config.servername !== undefined && (typeof config.servername !== 'string' || config.servername === '')) {
    problems.push('servername must be a non-empty string')
  }
  const starttls = config.starttls ?? TLS_CHECK_DEFAULTS.starttls
  if (!STARTTLS_MODES.includes(starttls)) problems.push(`starttls must be one of ${STARTTLS_MODES.join(', ')}`)
  if (config.ca !== undefined && (typeof config.ca !== 'string' || !config.ca.includes('-----BEGIN CERTIFICATE-----'))) {
    problems.push('ca must be PEM text with at least one -----BEGIN CERTIFICATE----- block')
  }
  const minDays = config.minDaysUntilExpiry
  if (minDays !== undefined && (typeof minDays !== 'number' || !Number.isFinite(minDays) || minDays < 0)) {
    problems.push('minDaysUntilExpiry must be a number >= 0')
  }
  for (const key of ['requireTrusted', 'requireHostname'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'boolean') problems.push(`${key} must be a boolean`)
  }
  if (problems.length > before) return undefined
  // `[::1]` as people write it in URLs; net.connect wants the bare address.
  const host = config.host.startsWith('[') && config.host.endsWith(']') ? config.host.slice(1, -1) : config.host
  const verifyName = config.servername ?? host
  return {
    host,
    port,
    verifyName,
    sni: isIP(verifyName) === 0 ? verifyName : undefined,
    starttls,
    ca: config.ca,
    minDaysUntilExpiry: minDays,
    requireTrusted: config.requireTrusted ?? TLS_CHECK_DEFAULTS.requireTrusted,
    requireHostname: config.requireHostname ?? TLS_CHECK_DEFAULTS.requireHostname
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseTlsConfig(config: TlsCheckConfig): CompiledTlsConfig {
  const problems: string[] = []
  const compiled = compileTlsConfig(config, problems)
  if (compiled === undefined) throw new InvalidTlsConfigError(problems.join('; '))
  return compiled
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateTlsConfig(config: TlsCheckConfig): string[] {
  const problems: string[] = []
  compileTlsConfig(config, problems)
  return problems
}
