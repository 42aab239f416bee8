import { configOptions, parseUrlOption, stringOption, timeoutOption, urlSecrets } from '@vedette/sdk'
import type { TimeoutOption } from '@vedette/sdk'
import { InvalidDiscordConfigError } from './errors.js'

/** The channel's options (schema: `vedette.configSchema` in package.json). */
export interface DiscordNotifierConfig {
  /** The webhook URL, `https://discord.com/api/webhooks/<id>/<token>`. Secret: the token is in the path. */
  url: string
  /** Overrides the webhook's display name (1–80 characters). */
  username?: string
  /** Overrides the webhook's avatar. */
  avatarUrl?: string
  /** Post into this thread of the webhook's channel (required for forum channels). */
  threadId?: string
  /** Roles pinged when alerts fire, remind or escalate. */
  mentionRoleIds?: string[]
  /** Users pinged when alerts fire, remind or escalate. */
  mentionUserIds?: string[]
  /** How long one delivery attempt may take: `<n>ms`, `<n>s` or `<n>m`. Default `10s`. */
  timeout?: string
}

/** The config as the channel uses it: checked, defaults applied. */
export interface ResolvedDiscordConfig extends TimeoutOption {
  /** The execute-webhook URL with `wait=true` (and `thread_id`) set. */
  url: URL
  username?: string
  avatarUrl?: string
  mentionRoleIds: string[]
  mentionUserIds: string[]
  /** Values scrubbed from every report. */
  secrets: string[]
}

export const DISCORD_DEFAULTS = { timeout: '10s' } as const

const KNOWN = ['url', 'username', 'avatarUrl', 'threadId', 'mentionRoleIds', 'mentionUserIds', 'timeout']
const SNOWFLAKE = /^[0-9]{1,20}$/

/**
 * Checks again what the schema says (the plugin can be created directly, by
 * tests or embedders) and what it cannot: a URL that parses, a username
 * Discord accepts. Never echoes the webhook URL: it is a credential.
 *
 * @throws VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG listing every problem
 */
export function parseDiscordConfig(config: unknown): ResolvedDiscordConfig {
  const problems: string[] = []
  const input = configOptions(config, KNOWN, problems)
  const url = parseUrlOption(input.url, problems, { hint: 'the webhook URL from the channel settings, Integrations, Webhooks' })
  const threadId = stringOption(input.threadId, 'threadId', problems)
  if (threadId !== undefined && !SNOWFLAKE.test(threadId)) problems.push('threadId must be a Discord id (digits)')
  const username = stringOption(input.username, 'username', problems)
  // Discord refuses these names with a 400 on every message; say so now instead.
  if (username !== undefined && (username.trim().length === 0 || username.length > 80)) problems.push('username must have 1 to 80 characters')
  if (username !== undefined && /discord|clyde/i.test(username)) {
    problems.push(`username must not contain 'discord' or 'clyde': Discord refuses such webhook names`)
  }
  const avatarUrl = input.avatarUrl === undefined ? undefined : parseUrlOption(input.avatarUrl, problems, { name: 'avatarUrl', secret: false })
  const mentionRoleIds = ids(input.mentionRoleIds, 'mentionRoleIds', problems)
  const mentionUserIds = ids(input.mentionUserIds, 'mentionUserIds', problems)
  const timeout = timeoutOption(input.timeout, DISCORD_DEFAULTS.timeout, problems)
  if (problems.length > 0 || url === undefined || timeout === undefined) throw new InvalidDiscordConfigError(problems.join('; '))

  url.searchParams.set('wait', 'true')
  if (threadId !== undefined) url.searchParams.set('thread_id', threadId)
  return {
    url,
    ...(username === undefined ? {} : { username }),
    ...(avatarUrl === undefined ? {} : { avatarUrl: avatarUrl.href }),
    mentionRoleIds,
    mentionUserIds,
    ...timeout,
    // The token is in the path: no piece of the URL may reach a report.
    secrets: urlSecrets(url)
  }
}

function ids(value: unknown, name: string, problems: string[]): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && SNOWFLAKE.test(v))) {
    problems.push(`${name} must be a list of Discord ids (digits, as strings)`)
    return []
  }
  return [...new Set(value)]
}
