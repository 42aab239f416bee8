import { timeoutOption } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import addressparser from 'nodemailer/lib/addressparser/index.js'
import { InvalidEmailConfigError } from './errors.js'

/** A channel's `config` block for this notifier; mirrors `vedette.configSchema` in package.json. */
export interface EmailNotifierConfig {
  /** SMTP server name or IP address. */
  host: string
  /** Default 587, or 465 with `secure`. */
  port?: number
  /** Default `false`: TLS from the first byte (SMTPS, port 465). */
  secure?: boolean
  /** Default `false`: refuse to send unless the server upgrades with STARTTLS. */
  requireTLS?: boolean
  auth?: { user: string; pass: string }
  tls?: {
    /** Default `true`: verify the server certificate. */
    rejectUnauthorized?: boolean
    /** PEM certificate(s) to trust in addition to the system CAs (a private CA, a self-signed server). */
    ca?: string
  }
  /** Sender, `alerts@example.com` or `"Vedette" <alerts@example.com>`. */
  from: string
  /** Recipients. */
  to: string[]
  /** Default `[Vedette]`: put before the notification title in the subject. */
  subjectPrefix?: string
  /** Default `30s`: how long one attempt may take, `<n>ms`, `<n>s` or `<n>m`. */
  timeout?: string
}

/** The defaults the schema documents; a test keeps the two in step. */
export const EMAIL_DEFAULTS = {
  secure: false,
  requireTLS: false,
  subjectPrefix: '[Vedette]',
  // SMTP is slower than a webhook: greeting delays (tarpits, greylisting
  // front ends) of 5 to 20 s are common, so 10s would fail healthy servers.
  timeout: '30s'
} as const

/** The config as the channel uses it: checked, defaults applied. */
export interface CompiledEmailConfig extends TimeoutOption {
  host: string
  port: number
  secure: boolean
  requireTLS: boolean
  auth: { user: string; pass: string } | undefined
  tls: { rejectUnauthorized: boolean; ca: string | undefined }
  from: string
  /** The sender's domain: the right-hand side of our Message-IDs. */
  fromDomain: string
  to: string[]
  subjectPrefix: string
}

/**
 * Applies defaults and checks what JSON Schema cannot (addresses, the CA
 * bundle). Throws `VDT_ERR_NOTIFIER_EMAIL_INVALID_CONFIG` listing every problem.
 */
export function parseEmailConfig(config: EmailNotifierConfig): CompiledEmailConfig {
  if (config === null || typeof config !== 'object') throw new InvalidEmailConfigError('config must be an object')
  const problems: string[] = []
  if (typeof config.host !== 'string' || config.host.trim() === '') problems.push('host is required')
  const secure = config.secure ?? EMAIL_DEFAULTS.secure
  const port = config.port ?? (secure ? 465 : 587)
  if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push('port must be an integer from 1 to 65535')
  const auth = config.auth
  if (auth !== undefined && (typeof auth?.user !== 'string' || auth.user === '' || typeof auth.pass !== 'string')) {
    problems.push('auth needs a user and a pass')
  }
  const ca = config.tls?.ca
  if (ca !== undefined && (typeof ca !== 'string' || !ca.includes('-----BEGIN CERTIFICATE-----'))) {
    problems.push('tls.ca must be PEM text (-----BEGIN CERTIFICATE-----...), not a file name')
  }
  const from = single(config.from)
  if (from === undefined) problems.push(`from must be one email address, got ${JSON.stringify(config.from)}`)
  const to = Array.isArray(config.to) ? config.to : []
  if (to.length === 0) problems.push('to must list at least one address')
  for (const r of to) if (single(r) === undefined) problems.push(`to: ${JSON.stringify(r)} is not an email address`)
  const timeout = timeoutOption(config.timeout, EMAIL_DEFAULTS.timeout, problems)
  if (problems.length > 0 || from === undefined || timeout === undefined) throw new InvalidEmailConfigError(problems.join('; '))
  return {
    host: config.host.trim(),
    port,
    secure,
    requireTLS: config.requireTLS ?? EMAIL_DEFAULTS.requireTLS,
    auth: auth === undefined ? undefined : { user: auth.user, pass: auth.pass },
    tls: { rejectUnauthorized: config.tls?.rejectUnauthorized ?? true, ca },
    from: config.from,
    fromDomain: from.slice(from.lastIndexOf('@') + 1).toLowerCase(),
    to,
    subjectPrefix: config.subjectPrefix ?? EMAIL_DEFAULTS.subjectPrefix,
    ...timeout
  }
}

/** The bare address when `value` holds exactly one (`"Name" <a@b>` or `a@b`). */
function single(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const parsed = addressparser(value, { flatten: true })
  if (parsed.length !== 1) return undefined
  const address = parsed[0]!.address
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined
}
