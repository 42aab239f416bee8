import { timeoutOption } from '@vedette/sdk'
import type { AlertSeverity, TimeoutOption } from '@vedette/sdk'
import { InvalidPagerDutyConfigError } from './errors.js'

/** The severities the Events API v2 accepts. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info'
export const PAGERDUTY_SEVERITIES: readonly PagerDutySeverity[] = ['critical', 'error', 'warning', 'info']

/** The channel's options (schema: `vedette.configSchema` in package.json). */
export interface PagerDutyNotifierConfig {
  /** Events API v2 endpoint. Default `https://events.pagerduty.com/v2/enqueue`. */
  url?: string
  /** The integration key of an Events API v2 integration on a PagerDuty service. Secret. */
  routingKey: string
  /** PagerDuty severity per Vedette severity. Default critical→critical, warning→warning, info→info. */
  severityMap?: Partial<Record<AlertSeverity, PagerDutySeverity>>
  /** Sent as `payload.component` on triggers. */
  component?: string
  /** Sent as `payload.group` on triggers. */
  group?: string
  /** Sent as `payload.class` on triggers. */
  class?: string
  /** How long one delivery attempt may take: `<n>ms`, `<n>s` or `<n>m`. Default `10s`. */
  timeout?: string
}

/** The config as the channel uses it: checked, defaults applied. */
export interface ResolvedPagerDutyConfig extends TimeoutOption {
  url: URL
  routingKey: string
  severityMap: Record<AlertSeverity, PagerDutySeverity>
  component?: string
  group?: string
  class?: string
  secrets: string[]
}

export const PAGERDUTY_DEFAULTS = {
  url: 'https://events.pagerduty.com/v2/enqueue',
  severityMap: { critical: 'critical', warning: 'warning', info: 'info' },
  timeout: '10s'
} as const

const KNOWN = ['url', 'routingKey', 'severityMap', 'component', 'group', 'class', 'timeout']

/**
 * Checks again what the schema says (the plugin can be created directly, by
 * tests or embedders) and what it cannot. Never echoes the routing key.
 *
 * @throws VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG
 */
export function parsePagerDutyConfig(config: unknown): ResolvedPagerDutyConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new InvalidPagerDutyConfigError('expected an object')
  const input = config as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !KNOWN.includes(k))
  if (unknown.length > 0) throw new InvalidPagerDutyConfigError(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`)

  const routingKey = optionalString(input.routingKey, 'routingKey')
  if (routingKey === undefined || routingKey === '') {
    throw new InvalidPagerDutyConfigError('routingKey is required: the Integration Key of an Events API v2 integration on the service')
  }
  // A pasted key with a stray space or newline is refused by PagerDuty on every event.
  if (/\s/.test(routingKey)) throw new InvalidPagerDutyConfigError('routingKey contains whitespace: copy the Integration Key again')

  const urlText = optionalString(input.url, 'url') ?? PAGERDUTY_DEFAULTS.url
  let url: URL
  try {
    url = new URL(urlText)
  } catch {
    throw new InvalidPagerDutyConfigError(`url is not a valid URL: ${JSON.stringify(urlText)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidPagerDutyConfigError('url must be an http(s) URL')

  const problems: string[] = []
  const timeout = timeoutOption(input.timeout, PAGERDUTY_DEFAULTS.timeout, problems)
  if (timeout === undefined) throw new InvalidPagerDutyConfigError(problems.join('; '))

  const resolved: ResolvedPagerDutyConfig = {
    url,
    routingKey,
    severityMap: severityMap(input.severityMap),
    ...timeout,
    secrets: [routingKey]
  }
  for (const name of ['component', 'group', 'class'] as const) {
    const value = optionalString(input[name], name)
    if (value !== undefined) resolved[name] = value
  }
  return resolved
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new InvalidPagerDutyConfigError(`${name} must be a string`)
  return value
}

function severityMap(value: unknown): Record<AlertSeverity, PagerDutySeverity> {
  const map: Record<AlertSeverity, PagerDutySeverity> = { ...PAGERDUTY_DEFAULTS.severityMap }
  if (value === undefined) return map
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidPagerDutyConfigError('severityMap must be an object')
  for (const [from, to] of Object.entries(value)) {
    if (!(from in map)) throw new InvalidPagerDutyConfigError(`severityMap has unknown Vedette severity '${from}' (critical, warning, info)`)
    if (!PAGERDUTY_SEVERITIES.includes(to as PagerDutySeverity)) {
      throw new InvalidPagerDutyConfigError(`severityMap.${from} must be one of ${PAGERDUTY_SEVERITIES.join(', ')}, got ${JSON.stringify(to)}`)
    }
    map[from as AlertSeverity] = to as PagerDutySeverity
  }
  return map
}
