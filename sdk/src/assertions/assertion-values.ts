import { query } from 'jsonpath-rfc9535'
import type { JsonValue } from 'jsonpath-rfc9535'
import type { Assertion, AssertionSubject } from './assertion-types.js'
import { compileRegex } from './regex-literal.js'

/** A source's value; `list` is what `any`/`all` walk when it differs from `[value]`. */
export interface SourceValue {
  found: boolean
  value?: unknown
  list?: unknown[]
  /** Set when the source could not be read at all (e.g. `invalid JSON`); shown as the actual value. */
  problem?: string
}

type ParsedBody = { ok: true; value: JsonValue } | { ok: false }
// Parsed once per subject however many json assertions a monitor has; a
// WeakMap so the cache dies with the subject.
const parsedBodies = new WeakMap<AssertionSubject, ParsedBody>()

function parsedBody(subject: AssertionSubject): ParsedBody {
  let parsed = parsedBodies.get(subject)
  if (parsed === undefined) {
    try {
      parsed = { ok: true, value: JSON.parse(subject.body ?? '') as JsonValue }
    } catch {
      parsed = { ok: false }
    }
    parsedBodies.set(subject, parsed)
  }
  return parsed
}

const missing: SourceValue = { found: false }

/** Reads the value an assertion looks at. Never throws. */
export function readSource(node: Assertion, subject: AssertionSubject): SourceValue {
  const { source } = node
  if (source === 'status') return present(subject.statusCode ?? subject.observations?.['statusCode'])
  if (source === 'latency') return present(subject.latencyMs)
  if (source === 'body') return present(subject.body)
  if (source === 'json') return readJson(node.path ?? '$', subject)
  if (source === 'body.regex') return readCapture(node.path ?? '', subject.body)
  const dot = source.indexOf('.')
  const prefix = dot === -1 ? '' : source.slice(0, dot)
  const name = source.slice(dot + 1)
  if (prefix === 'latency') return present(subject.phases?.[name])
  if (prefix === 'header') return readHeader(name, subject)
  if (prefix === 'obs' || prefix === '') return readObservation(name, subject)
  // tls./dns./tcp. facts: a check may publish `tls.daysUntilExpiry`, a nested
  // `tls: { daysUntilExpiry }`, or just `daysUntilExpiry`; accept each.
  const flat = subject.observations?.[source]
  if (flat !== undefined) return present(flat)
  const nested = readPath(subject.observations?.[prefix], name)
  return nested.found ? nested : readObservation(name, subject)
}

function present(value: unknown): SourceValue {
  return value === undefined ? missing : { found: true, value }
}

function readJson(path: string, subject: AssertionSubject): SourceValue {
  if (subject.body === undefined) return missing
  const body = parsedBody(subject)
  if (!body.ok) return { found: false, problem: 'invalid JSON' }
  let nodes: JsonValue[]
  try {
    nodes = query(body.value, path)
  } catch (err) {
    return { found: false, problem: `invalid JSONPath: ${(err as Error).message}` }
  }
  // RFC 9535 yields a node list: one node reads as its value, so `$.count > 3`
  // compares a number, while several stay a list.
  const single = nodes.length === 1 ? nodes[0] : undefined
  return {
    found: nodes.length > 0,
    value: nodes.length === 1 ? single : nodes,
    list: nodes.length === 1 && Array.isArray(single) ? single : nodes
  }
}

function readCapture(pattern: string, body: string | undefined): SourceValue {
  if (body === undefined) return missing
  let match: RegExpExecArray | null
  try {
    match = compileRegex(pattern).exec(body)
  } catch (err) {
    return { found: false, problem: `invalid regular expression: ${(err as Error).message}` }
  }
  if (match === null) return missing
  return present(match.length > 1 ? (match[1] ?? null) : match[0])
}

function readHeader(name: string, subject: AssertionSubject): SourceValue {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(subject.headers ?? {})) {
    if (key.toLowerCase() !== wanted || value === undefined) continue
    if (Array.isArray(value)) return { found: true, value: value.join(', '), list: value }
    return { found: true, value: String(value) }
  }
  return missing
}

function readObservation(name: string, subject: AssertionSubject): SourceValue {
  const obs = subject.observations
  if (obs === undefined) return missing
  if (obs[name] !== undefined) return present(obs[name])
  return readPath(obs, name)
}

/** `a.b.c` through nested objects. */
function readPath(root: unknown, dotted: string): SourceValue {
  let cur: unknown = root
  for (const key of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return missing
    cur = (cur as Record<string, unknown>)[key]
  }
  return present(cur)
}
