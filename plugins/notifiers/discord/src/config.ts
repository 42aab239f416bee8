import { timeoutOption, urlSecrets } from '@vedette/sdk'
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
 * @throws VDT_ERR_NOTIFIER_DISCORD_INVALID_CONFIG
 */
export function parseDiscordConfig(config: unknown): ResolvedDiscordConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new InvalidDiscordConfigError('expected an object')
  const input = config as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !KNOWN.includes(k))
  if (unknown.length > 0) throw new InvalidDiscordConfigError(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`)

  const url = httpUrl(input.url, 'url', true)
  if (url === undefined) throw new InvalidDiscordConfigError('url is required: the webhook URL from the channel settings, Integrations, Webhooks')
  url.searchParams.set('wait', 'true')

  const threadId = optionalString(input.threadId, 'threadId')
  if (threadId !== undefined) {
    if (!SNOWFLAKE.test(threadId)) throw new InvalidDiscordConfigError('threadId must be a Discord id (digits)')
    url.searchParams.set('thread_id', threadId)
  }

  const username = optionalString(input.username, 'username')
  // Discord refuses these names with a 400 on every message; say so now instead.
  if (username !== undefined && (username.trim().length === 0 || username.length > 80)) {
    throw new InvalidDiscordConfigError('username must have 1 to 80 characters')
  }
  if (username !== undefined && /discord|clyde/i.test(username)) {
    throw new InvalidDiscordConfigError(`username must not contain 'discord' or 'clyde': Discord refuses such webhook names`)
  }

  const avatarUrl = httpUrl(input.avatarUrl, 'avatarUrl', false)?.href
  const problems: string[] = []
  const timeout = timeoutOption(input.timeout, DISCORD_DEFAULTS.timeout, problems)
  if (timeout === undefined) throw new InvalidDiscordConfigError(problems.join('; '))

  return {
    url,
    ...(username === undefined ? {} : { username }),
    ...(avatarUrl === undefined ? {} : { avatarUrl }),
    mentionRoleIds: ids(input.mentionRoleIds, 'mentionRoleIds'),
    mentionUserIds: ids(input.mentionUserIds, 'mentionUserIds'),
    ...timeout,
    // The token is in the path: no piece of the URL may reach a report.
    secrets: urlSecrets(url)
  }
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new InvalidDiscordConfigError(`${name} must be a string`)
  return value
}

function httpUrl(value: unknown, name: string, secret: boolean): URL | undefined {
  const text = optionalString(value, name)
  if (text === undefined) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidDiscordConfigError(`${name} is not a valid URL${secret ? '' : `: ${JSON.stringify(text)}`}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidDiscordConfigError(`${name} must be an http(s) URL`)
  return url
}

function ids(value: unknown, name: string): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && SNOWFLAKE.test(v))) {
    throw new InvalidDiscordConfigError(`${name} must be a list of Discord ids (digits, as strings)`)
  }
  return [...new Set(value)]
}
