import { InvalidIcmpConfigError } from './errors.js'

/** A monitor's `config` block for `type: icmp`; mirrors `vedette.configSchema` in package.json. */
export interface IcmpCheckConfig {
  host: string
  /** Default 3. */
  count?: number
  /** Seconds, default 0.2 (the least iputils allows an unprivileged user). */
  interval?: number
  /** Payload bytes, default 56. */
  packetSize?: number
  /** Seconds, default 1 (`ping -W`). */
  replyTimeout?: number
  /** Default 0: any loss is degraded. */
  maxLossPercent?: number
}

/** The defaults the schema documents; a test keeps the two in step. */
export const ICMP_CHECK_DEFAULTS = {
  count: 3,
  interval: 0.2,
  packetSize: 56,
  replyTimeout: 1,
  maxLossPercent: 0
} as const

export interface CompiledIcmpConfig {
  host: string
  count: number
  interval: number
  packetSize: number
  replyTimeout: number
  maxLossPercent: number
}

// Never starts with `-`: the host is an argv item and must not read as an option.
const HOST = /^[A-Za-z0-9_.:%][A-Za-z0-9_.:%-]*$/

/**
 * Applies defaults and checks what JSON Schema cannot. Problems go to
 * `problems`; the result is `undefined` when there is any.
 */
export function compileIcmpConfig(config: IcmpCheckConfig, problems: string[]): CompiledIcmpConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  // `[::1]` as people write it in URLs; ping wants the bare address.
  const host = typeof config.host === 'string' && config.host.startsWith('[') && config.host.endsWith(']') ? config.host.slice(1, -1) : config.host
  if (typeof host !== 'string' || host === '') problems.push('host is required')
  else if (!HOST.test(host)) problems.push(`host must be a hostname or an IP address, got ${JSON.stringify(config.host)}`)
  const d = ICMP_CHECK_DEFAULTS
  const count = config.count ?? d.count
  if (!Number.isInteger(count) || count < 1 || count > 100) problems.push('count must be an integer from 1 to 100')
  const interval = config.interval ?? d.interval
  if (!(typeof interval === 'number' && interval > 0)) problems.push('interval must be a number of seconds > 0')
  const packetSize = config.packetSize ?? d.packetSize
  if (!Number.isInteger(packetSize) || packetSize < 0 || packetSize > 65_507) problems.push('packetSize must be an integer from 0 to 65507')
  const replyTimeout = config.replyTimeout ?? d.replyTimeout
  if (!(typeof replyTimeout === 'number' && replyTimeout > 0)) problems.push('replyTimeout must be a number of seconds > 0')
  const maxLossPercent = config.maxLossPercent ?? d.maxLossPercent
  if (!(typeof maxLossPercent === 'number' && maxLossPercent >= 0 && maxLossPercent <= 100)) problems.push('maxLossPercent must be a number from 0 to 100')
  if (problems.length > before) return undefined
  return { host, count, interval, packetSize, replyTimeout, maxLossPercent }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseIcmpConfig(config: IcmpCheckConfig): CompiledIcmpConfig {
  const problems: string[] = []
  const compiled = compileIcmpConfig(config, problems)
  if (compiled === undefined) throw new InvalidIcmpConfigError(problems.join('; '))
  return compiled
}

/** The argv for iputils ping; `--` ends the options before the host. */
export function pingArgs(config: CompiledIcmpConfig): string[] {
  return ['-n', '-c', String(config.count), '-i', String(config.interval), '-s', String(config.packetSize), '-W', String(config.replyTimeout), '--', config.host]
}
