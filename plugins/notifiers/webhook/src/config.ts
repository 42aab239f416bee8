import { parseHeaders, parseUrlOption, timeoutOption } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import { InvalidWebhookConfigError } from './errors.js'

/** A channel's `config` block for this notifier; mirrors `vedette.configSchema` in package.json. */
export interface WebhookNotifierConfig {
  /** The `http://` or `https://` URL that receives the JSON payload. */
  url: string
  /** Default `POST`. */
  method?: 'POST' | 'PUT'
  /** Extra request headers, e.g. `authorization`. */
  headers?: Record<string, string>
  /** Signs each request with HMAC-SHA256 (`X-Vedette-Signature`) when set. */
  secret?: string
  /** Default `10s`: how long one attempt may take, `<n>ms`, `<n>s` or `<n>m`. */
  timeout?: string
}

/** The defaults the schema documents; a test keeps the two in step. */
export const WEBHOOK_DEFAULTS = {
  method: 'POST',
  timeout: '10s'
} as const

/** The config as the channel uses it: checked, defaults applied. */
export interface CompiledWebhookConfig extends TimeoutOption {
  url: URL
  method: 'POST' | 'PUT'
  /** Names lower-cased. */
  headers: Record<string, string>
  secret: string | undefined
}

// Set per request; a configured value would break what receivers rely on (signature, dedupe).
const MANAGED_HEADERS = ['idempotency-key', 'x-vedette-signature', 'x-vedette-timestamp', 'x-vedette-event']

/**
 * Applies defaults and checks what JSON Schema cannot (URL syntax, header
 * names and values). Throws `VDT_ERR_NOTIFIER_WEBHOOK_INVALID_CONFIG` listing
 * every problem.
 */
export function parseWebhookConfig(config: WebhookNotifierConfig): CompiledWebhookConfig {
  if (config === null || typeof config !== 'object') throw new InvalidWebhookConfigError('config must be an object')
  const problems: string[] = []
  const url = parseUrlOption(config.url, problems, { refuseCredentials: true })
  const method = config.method ?? WEBHOOK_DEFAULTS.method
  if (method !== 'POST' && method !== 'PUT') problems.push(`method must be POST or PUT, got ${JSON.stringify(method)}`)
  const headers = parseHeaders(config.headers, MANAGED_HEADERS, problems)
  if (config.secret !== undefined && (typeof config.secret !== 'string' || config.secret === '')) {
    problems.push('secret must be a non-empty string')
  }
  const timeout = timeoutOption(config.timeout, WEBHOOK_DEFAULTS.timeout, problems)
  if (problems.length > 0 || url === undefined || timeout === undefined) throw new InvalidWebhookConfigError(problems.join('; '))
  return { url, method, headers, secret: config.secret, ...timeout }
}
