import { timeoutOption } from '@vedette/sdk'
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
 * @throws VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG
 */
export function parseOpsgenieConfig(config: unknown): ResolvedOpsgenieConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new InvalidOpsgenieConfigError('expected an object')
  const input = config as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !KNOWN.includes(k))
  if (unknown.length > 0) throw new InvalidOpsgenieConfigError(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`)

  const apiKey = optionalString(input.apiKey, 'apiKey')
  if (apiKey === undefined || apiKey === '') throw new InvalidOpsgenieConfigError('apiKey is required: the API key of an API integration in Opsgenie')
  // A pasted key with a stray space or newline is refused on every request, or breaks the header.
  if (/\s/.test(apiKey)) throw new InvalidOpsgenieConfigError('apiKey contains whitespace: copy the API key again')

  const urlText = optionalString(input.url, 'url') ?? OPSGENIE_DEFAULTS.url
  let url: URL
  try {
    url = new URL(urlText)
  } catch {
    throw new InvalidOpsgenieConfigError(`url is not a valid URL: ${JSON.stringify(urlText)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidOpsgenieConfigError('url must be an http(s) URL')
  if (url.search !== '' || url.hash !== '') throw new InvalidOpsgenieConfigError('url must be a base URL without query or fragment, e.g. https://api.opsgenie.com')

  const problems: string[] = []
  const timeout = timeoutOption(input.timeout, OPSGENIE_DEFAULTS.timeout, problems)
  if (timeout === undefined) throw new InvalidOpsgenieConfigError(problems.join('; '))

  return {
    base: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    apiKey,
    priorityMap: priorityMap(input.priorityMap),
    tags: tags(input.tags),
    responders: responders(input.responders),
    ...timeout,
    secrets: [apiKey]
  }
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new InvalidOpsgenieConfigError(`${name} must be a string`)
  return value
}

function priorityMap(value: unknown): Record<AlertSeverity, OpsgeniePriority> {
  const map: Record<AlertSeverity, OpsgeniePriority> = { ...OPSGENIE_DEFAULTS.priorityMap }
  if (value === undefined) return map
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidOpsgenieConfigError('priorityMap must be an object')
  for (const [from, to] of Object.entries(value)) {
    if (!(from in map)) throw new InvalidOpsgenieConfigError(`priorityMap has unknown Vedette severity '${from}' (critical, warning, info)`)
    if (!OPSGENIE_PRIORITIES.includes(to as OpsgeniePriority)) {
      throw new InvalidOpsgenieConfigError(`priorityMap.${from} must be one of P1-P5, got ${JSON.stringify(to)}`)
    }
    map[from as AlertSeverity] = to as OpsgeniePriority
  }
  return map
}

function tags(value: unknown): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= TAG_MAX)) {
    throw new InvalidOpsgenieConfigError(`tags must be a list of non-empty strings of at most ${TAG_MAX} characters`)
  }
  return [...new Set(value)]
}

function responders(value: unknown): OpsgenieResponder[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new InvalidOpsgenieConfigError('responders must be a list')
  return value.map((r: unknown, i) => {
    const item = (r ?? {}) as Record<string, unknown>
    if (typeof item.type !== 'string' || !RESPONDER_TYPES.includes(item.type)) {
      throw new InvalidOpsgenieConfigError(`responders[${i}].type must be one of ${RESPONDER_TYPES.join(', ')}`)
    }
    const keys = ['id', 'name', 'username'].filter((k) => typeof item[k] === 'string' && item[k] !== '')
    // Opsgenie identifies users by id or username, everything else by id or name.
    const allowed = item.type === 'user' ? ['id', 'username'] : ['id', 'name']
    if (keys.length !== 1 || !allowed.includes(keys[0] as string)) {
      throw new InvalidOpsgenieConfigError(`responders[${i}] (${item.type}) needs exactly one of ${allowed.join(' or ')}`)
    }
    const key = keys[0] as 'id' | 'name' | 'username'
    return { type: item.type as OpsgenieResponder['type'], [key]: item[key] as string }
  })
}
