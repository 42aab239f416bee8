import type { AlertSeverity } from '../notifier.js'

// The checks every notifier config makes before its own: the config is an
// object of known options, strings are strings, credentials are pasted
// whole. Problems are collected rather than thrown, so a notifier throws its
// own coded error once, listing every problem (and never a credential).

/**
 * The options of a config block. A config that is not an object, or has
 * options the notifier does not know, adds a problem naming them.
 *
 * @example
 * configOptions({ url: 'https://…', webhook: 'x' }, ['url', 'timeout'], problems) // problems: ["unknown option(s) 'webhook'"]
 */
export function configOptions(config: unknown, known: readonly string[], problems: string[]): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    problems.push('expected an object')
    return {}
  }
  const input = config as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !known.includes(k))
  if (unknown.length > 0) problems.push(`unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}`)
  return input
}

/** An optional string option: `undefined` when absent; a problem when it is not a string. */
export function stringOption(value: unknown, name: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  problems.push(`${name} must be a string`)
  return undefined
}

/**
 * A required credential (an API key, a routing key, a bot token): a
 * non-empty string without whitespace, as a key pasted with a stray space
 * or newline is refused on every request or breaks the header. Never quoted.
 *
 * @param hint where to find it, for the "is required" problem
 */
export function credentialOption(value: unknown, name: string, hint: string, problems: string[]): string | undefined {
  if (value === undefined || value === '') {
    problems.push(`${name} is required: ${hint}`)
    return undefined
  }
  const text = stringOption(value, name, problems)
  if (text !== undefined && /\s/.test(text)) {
    problems.push(`${name} contains whitespace: copy it again`)
    return undefined
  }
  return text
}

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info']

/**
 * A map from Vedette severity to a provider's own (priority, severity...):
 * `defaults` with the configured entries applied.
 *
 * @example
 * severityMapOption({ warning: 'P2' }, 'priorityMap', { critical: 'P1', warning: 'P3', info: 'P5' }, ['P1', 'P2', 'P3', 'P4', 'P5'], problems)
 * // { critical: 'P1', warning: 'P2', info: 'P5' }
 */
export function severityMapOption<V extends string>(
  value: unknown,
  name: string,
  defaults: Readonly<Record<AlertSeverity, V>>,
  allowed: readonly V[],
  problems: string[]
): Record<AlertSeverity, V> {
  const map: Record<AlertSeverity, V> = { ...defaults }
  if (value === undefined) return map
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${name} must be an object`)
    return map
  }
  for (const [from, to] of Object.entries(value)) {
    if (!SEVERITIES.includes(from as AlertSeverity)) problems.push(`${name} has unknown Vedette severity '${from}' (${SEVERITIES.join(', ')})`)
    else if (!allowed.includes(to as V)) problems.push(`${name}.${from} must be one of ${allowed.join(', ')}, got ${JSON.stringify(to)}`)
    else map[from as AlertSeverity] = to as V
  }
  return map
}
