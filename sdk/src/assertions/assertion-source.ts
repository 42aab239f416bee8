/**
 * Which sources exist and what they need. Shared by the parser and the object
 * validator so both forms reject exactly the same things.
 */

/** Sources that take no suffix. */
const EXACT_SOURCES = new Set(['status', 'latency', 'body', 'body.regex', 'json'])
/** Prefixes that need a `.<name>` suffix. */
const PREFIXES = new Set(['latency', 'header', 'tls', 'dns', 'tcp', 'obs'])

export const SOURCE_HINT = 'status latency latency.<phase> header.<name> body body.regex json tls.<fact> dns.<fact> tcp.<fact> obs.<name> or an observation name'

/** The name characters a source may use in the one-line form too. */
export const SOURCE_PATTERN = /^[A-Za-z_][\w.-]*$/

/** Returns why `source` is not a known source, or undefined when it is. */
export function sourceProblem(source: string): string | undefined {
  if (!SOURCE_PATTERN.test(source)) return `expected ${SOURCE_HINT}`
  if (EXACT_SOURCES.has(source)) return undefined
  const dot = source.indexOf('.')
  // A bare name is an observation a check plugin declared (e.g. daysUntilExpiry).
  if (dot === -1) return undefined
  const prefix = source.slice(0, dot)
  if (!PREFIXES.has(prefix)) return `unknown prefix '${prefix}'; expected ${SOURCE_HINT}`
  if (dot === source.length - 1) return `'${prefix}.' needs a name after the dot`
  return undefined
}

/** Sources whose `path` is required: what kind of path it is. */
export function pathKind(source: string): 'jsonpath' | 'regex' | undefined {
  if (source === 'json') return 'jsonpath'
  if (source === 'body.regex') return 'regex'
  return undefined
}
