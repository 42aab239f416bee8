import { configOptions, credentialOption, parseUrlOption, severityMapOption, timeoutOption } from '@vedette/sdk'
import type { AlertSeverity, TimeoutOption } from '@vedette/sdk'
import { InvalidOpsgenieConfigError } from './errors.js'

export type OpsgeniePriority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5'
export const OPSGENIE_PRIORITIES: readonly OpsgeniePriority[] = ['P1', 'P2', 'P3', 'P4', 'P5']

/** Who Opsgenie routes a new alert to: a team, user, escalation or schedule, by id or name (users by username). */
export interface OpsgenieResponder {
  type: 'team' | 'user' | 'escalation' | 'schedule'
  id?: string
  name?: string
  username?: string
}

/** The channel's options (schema: `vedette.configSchema` in package.json). */
export interface OpsgenieNotifierConfig {
  /** API base URL. Default `https://api.opsgenie.com`; EU accounts use `https://api.eu.opsgenie.com`. */
  url?: string
  /** An API key of an API integration (sent as `Authorization: GenieKey <key>`). Secret. */
  apiKey: string
  /** Opsgenie priority per Vedette severity. Default critical→P1, warning→P3, info→P5. */
  priorityMap?: Partial<Record<AlertSeverity, OpsgeniePriority>>
  /** Tags added to every alert, besides `vedette` and `severity:<severity>`. */
  tags?: string[]
  /** Responders of every new alert; without them the integration's own routing applies. */
  responders?: OpsgenieResponder[]
  /** How long one delivery attempt may take: `<n>ms`, `<n>s` or `<n>m`. Default `10s`. */
  timeout?: string
}

/** The config as the channel uses it: checked, defaults applied. */
export interface ResolvedOpsgenieConfig extends TimeoutOption {
  /** The base URL without a trailing slash. */
  base: string
  apiKey: string
  priorityMap: Record<AlertSeverity, OpsgeniePriority>
  tags: string[]
  responders: OpsgenieResponder[]
  secrets: string[]
}

export const OPSGENIE_DEFAULTS = {
  url: 'https://api.opsgenie.com',
  priorityMap: { critical: 'P1', warning: 'P3', info: 'P5' },
  timeout: '10s'
} as const

/** Opsgenie's limit on one tag. */
export const TAG_MAX = 50

const KNOWN = ['url', 'apiKey', 'priorityMap', 'tags', 'responders', 'timeout']
const RESPONDER_TYPES = ['team', 'user', 'escalation', 'schedule']

/**
 * Checks again what the schema says (the plugin can be created directly, by
 * tests or embedders) and what it cannot. Never echoes the API key.
 *
 * @throws VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG listing every problem
 */
export function parseOpsgenieConfig(config: unknown): ResolvedOpsgenieConfig {
  const problems: string[] = []
  const input = configOptions(config, KNOWN, problems)
  const apiKey = credentialOption(input.apiKey, 'apiKey', 'the API key of an API integration in Opsgenie', problems)
  // EU accounts use https://api.eu.opsgenie.com; a proxy may add a path.
  const url = parseUrlOption(input.url ?? OPSGENIE_DEFAULTS.url, problems, { secret: false, base: true })
  const priorityMap = severityMapOption(input.priorityMap, 'priorityMap', OPSGENIE_DEFAULTS.priorityMap, OPSGENIE_PRIORITIES, problems)
  const tags = tagsOption(input.tags, problems)
  const responders = respondersOption(input.responders, problems)
  const timeout = timeoutOption(input.timeout, OPSGENIE_DEFAULTS.timeout, problems)
  if (problems.length > 0 || apiKey === undefined || url === undefined || timeout === undefined) throw new InvalidOpsgenieConfigError(problems.join('; '))
  return {
    base: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    apiKey,
    priorityMap,
    tags,
    responders,
    ...timeout,
    secrets: [apiKey]
  }
}

function tagsOption(value: unknown, problems: string[]): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= TAG_MAX)) {
    problems.push(`tags must be a list of non-empty strings of at most ${TAG_MAX} characters`)
    return []
  }
  return [...new Set(value)]
}

function respondersOption(value: unknown, problems: string[]): OpsgenieResponder[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    problems.push('responders must be a list')
    return []
  }
  return value.flatMap((r: unknown, i): OpsgenieResponder[] => {
    const item = (r ?? {}) as Record<string, unknown>
    if (typeof item.type !== 'string' || !RESPONDER_TYPES.includes(item.type)) {
      problems.push(`responders[${i}].type must be one of ${RESPONDER_TYPES.join(', ')}`)
      return []
    }
    const keys = ['id', 'name', 'username'].filter((k) => typeof item[k] === 'string' && item[k] !== '')
    // Opsgenie identifies users by id or username, everything else by id or name.
    const allowed = item.type === 'user' ? ['id', 'username'] : ['id', 'name']
    if (keys.length !== 1 || !allowed.includes(keys[0] as string)) {
      problems.push(`responders[${i}] (${item.type}) needs exactly one of ${allowed.join(' or ')}`)
      return []
    }
    const key = keys[0] as 'id' | 'name' | 'username'
    return [{ type: item.type as OpsgenieResponder['type'], [key]: item[key] as string }]
  })
}
