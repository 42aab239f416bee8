import { configOptions, credentialOption, parseUrlOption, severityMapOption, stringOption, timeoutOption } from '@vedette/sdk'
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
 * @throws VDT_ERR_NOTIFIER_PAGERDUTY_INVALID_CONFIG listing every problem
 */
export function parsePagerDutyConfig(config: unknown): ResolvedPagerDutyConfig {
  const problems: string[] = []
  const input = configOptions(config, KNOWN, problems)
  const routingKey = credentialOption(input.routingKey, 'routingKey', 'the Integration Key of an Events API v2 integration on the service', problems)
  const url = parseUrlOption(input.url ?? PAGERDUTY_DEFAULTS.url, problems, { secret: false })
  const severityMap = severityMapOption(input.severityMap, 'severityMap', PAGERDUTY_DEFAULTS.severityMap, PAGERDUTY_SEVERITIES, problems)
  const component = stringOption(input.component, 'component', problems)
  const group = stringOption(input.group, 'group', problems)
  const className = stringOption(input.class, 'class', problems)
  const timeout = timeoutOption(input.timeout, PAGERDUTY_DEFAULTS.timeout, problems)
  if (problems.length > 0 || routingKey === undefined || url === undefined || timeout === undefined) {
    throw new InvalidPagerDutyConfigError(problems.join('; '))
  }
  return {
    url,
    routingKey,
    severityMap,
    ...(component === undefined ? {} : { component }),
    ...(group === undefined ? {} : { group }),
    ...(className === undefined ? {} : { class: className }),
    ...timeout,
    secrets: [routingKey]
  }
}
