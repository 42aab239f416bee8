import { parseHeaders, parseUrlOption, timeoutOption } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import { InvalidTeamsConfigError } from './errors.js'

/** A channel's `config` block for this notifier; mirrors `vedette.configSchema` in package.json. */
export interface TeamsNotifierConfig {
  /** The Workflows (Power Automate) webhook trigger URL. */
  url: string
  /** Extra request headers (for a proxy in front of the flow, say). */
  headers?: Record<string, string>
  /** Default `10s`: how long one attempt may take, `<n>ms`, `<n>s` or `<n>m`. */
  timeout?: string
}

/** The defaults the schema documents; a test keeps the two in step. */
export const TEAMS_DEFAULTS = {
  timeout: '10s'
} as const

/** The config as the channel uses it: checked, defaults applied. */
export interface CompiledTeamsConfig extends TimeoutOption {
  url: URL
  headers: Record<string, string>
}

/**
 * Applies defaults and checks what JSON Schema cannot. Throws
 * `VDT_ERR_NOTIFIER_TEAMS_INVALID_CONFIG` listing every problem.
 */
export function parseTeamsConfig(config: TeamsNotifierConfig): CompiledTeamsConfig {
  if (config === null || typeof config !== 'object') throw new InvalidTeamsConfigError('config must be an object')
  const problems: string[] = []
  const url = parseUrlOption(config.url, problems, { refuseCredentials: true })
  const headers = parseHeaders(config.headers, [], problems)
  const timeout = timeoutOption(config.timeout, TEAMS_DEFAULTS.timeout, problems)
  if (problems.length > 0 || url === undefined || timeout === undefined) throw new InvalidTeamsConfigError(problems.join('; '))
  return { url, headers, ...timeout }
}
