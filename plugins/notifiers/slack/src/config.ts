import { parseHeaders, parseUrlOption, timeoutOption } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import { InvalidSlackConfigError } from './errors.js'

/** A channel's `config` block for this notifier; mirrors `vedette.configSchema` in package.json. */
export interface SlackNotifierConfig {
  /** The incoming webhook URL (`https://hooks.slack.com/services/...`). */
  url: string
  /** Channel override (`#ops` or a channel id); honoured by legacy webhooks only. */
  channel?: string
  /** Bot name override; honoured by legacy webhooks only. */
  username?: string
  /** Icon override such as `:rotating_light:`; honoured by legacy webhooks only. */
  iconEmoji?: string
  /** Extra request headers (for a proxy in front of Slack, say). */
  headers?: Record<string, string>
  /** Default `10s`: how long one attempt may take, `<n>ms`, `<n>s` or `<n>m`. */
  timeout?: string
}

/** The defaults the schema documents; a test keeps the two in step. */
export const SLACK_DEFAULTS = {
  timeout: '10s'
} as const

/** The config as the channel uses it: checked, defaults applied. */
export interface CompiledSlackConfig extends TimeoutOption {
  url: URL
  channel: string | undefined
  username: string | undefined
  iconEmoji: string | undefined
  headers: Record<string, string>
}

const EMOJI = /^:[a-z0-9_+'-]+:$/

/**
 * Applies defaults and checks what JSON Schema cannot. Throws
 * `VDT_ERR_NOTIFIER_SLACK_INVALID_CONFIG` listing every problem.
 */
export function parseSlackConfig(config: SlackNotifierConfig): CompiledSlackConfig {
  if (config === null || typeof config !== 'object') throw new InvalidSlackConfigError('config must be an object')
  const problems: string[] = []
  const url = parseUrlOption(config.url, problems, { refuseCredentials: true })
  for (const field of ['channel', 'username'] as const) {
    const value = config[field]
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) problems.push(`${field} must be a non-empty string`)
  }
  if (config.iconEmoji !== undefined && (typeof config.iconEmoji !== 'string' || !EMOJI.test(config.iconEmoji))) {
    problems.push(`iconEmoji must look like :rotating_light:, got ${JSON.stringify(config.iconEmoji)}`)
  }
  const headers = parseHeaders(config.headers, [], problems)
  const timeout = timeoutOption(config.timeout, SLACK_DEFAULTS.timeout, problems)
  if (problems.length > 0 || url === undefined || timeout === undefined) throw new InvalidSlackConfigError(problems.join('; '))
  return { url, channel: config.channel, username: config.username, iconEmoji: config.iconEmoji, headers, ...timeout }
}
