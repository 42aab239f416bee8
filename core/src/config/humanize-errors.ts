import type { ErrorObject } from 'ajv'
import type { ConfigError } from './config-error.js'
import { MONITOR_ID_PATTERN } from './config-schema.js'
import { DURATION_PATTERN } from './duration.js'
import { joinPointer } from './json-pointer.js'

type Phrase = { message: string; expected: string }

// Messages for whole `$defs` entries: when a value fails a def built from
// oneOf/anyOf, the branch-by-branch errors say nothing useful ("must be
// integer", "must match pattern ^[0-9]+...", "must match exactly one schema").
const DEF_PHRASES: Record<string, Phrase> = {
  duration: {
    message: 'must be a duration like 30s or 5m',
    expected: 'a duration like 500ms, 30s, 5m or 1h, or an integer number of milliseconds'
  },
  pluginEntry: {
    message: 'must be a plugin package name or path, or an object with a `name`',
    expected: 'a package name or path'
  }
}

const PATTERN_PHRASES: Record<string, Phrase> = {
  [MONITOR_ID_PATTERN]: {
    message: 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-" (at most 128 characters)',
    expected: 'an id like api-health'
  },
  [DURATION_PATTERN]: DEF_PHRASES.duration as Phrase
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map of keys to values',
  array: 'a list',
  null: 'null'
}

const COMPARISON_WORDS: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' }

/**
 * Turns ajv's errors (compiled with `allErrors` and `verbose`) into the few
 * errors a person needs. ajv reports every failed branch: a wrong `url` in an
 * http monitor's config also yields "must match then schema", a bad duration
 * yields one error per oneOf branch plus the oneOf itself. Here `if` noise is
 * dropped, each oneOf/anyOf is collapsed to the branch the value was meant for
 * (or one summary when no branch fits its type), and every message says what
 * was expected and what was found.
 */
export function humanizeAjvErrors(errors: readonly ErrorObject[], rootSchema: object): ConfigError[] {
  const defNames = new Map<unknown, string>()
  const defs = (rootSchema as { $defs?: Record<string, unknown> }).$defs ?? {}
  for (const [name, def] of Object.entries(defs)) defNames.set(def, name)

  // null: dropped; a ConfigError: replaces ajv's own wording.
  const override = new Map<ErrorObject, ConfigError | null>()
  for (const e of errors) if (e.keyword === 'if') override.set(e, null)

  // ajv pushes a oneOf/anyOf error right after its branches' errors, so an
  // inner composite comes before the outer one and is settled first.
  errors.forEach((e, index) => {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') collapseComposite(index, errors, override, defNames)
  })

  const out: ConfigError[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    const o = override.get(e)
    if (o === null) continue
    const error = o ?? phrase(e)
    const key = `${error.pointer}\0${error.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(error)
  }
  return out
}

function collapseComposite(
  index: number,
  errors: readonly ErrorObject[],
  override: Map<ErrorObject, ConfigError | null>,
  defNames: Map<unknown, string>
): void {
  const c = errors[index] as ErrorObject
  // Branch errors sit just before `c` and are about the same value or values
  // inside it; scanning only that run keeps 10,000 bad monitors linear.
  const members: ErrorObject[] = []
  for (let i = index - 1; i >= 0; i--) {
    const e = errors[i] as ErrorObject
    if (!within(e.instancePath, c.instancePath)) break
    if (e.schemaPath.startsWith(`${c.schemaPath}/`)) members.push(e)
  }
  members.reverse()
  const drop = (list: readonly ErrorObject[]): void => list.forEach((e) => override.set(e, null))
  const branches = Array.isArray(c.schema) ? (c.schema as unknown[]) : []
  const passing = (c.params as { passingSchemas?: number[] | null }).passingSchemas

  const def = DEF_PHRASES[defNames.get(c.parentSchema) ?? '']
  if (def !== undefined) {
    drop(members)
    override.set(c, { pointer: c.instancePath, message: `${def.message} (got ${show(c.data)})`, expected: def.expected })
    return
  }

  // `oneOf: [{ required: [a] }, { required: [b] }]` is how "exactly one of a and b" is spelled.
  const alternatives = branches.map(requiredOnly)
  if (alternatives.length > 0 && alternatives.every((a) => a !== undefined)) {
    const names = alternatives as string[]
    const expected = `exactly one of ${names.map((n) => `"${n}"`).join(', ')}`
    drop(members)
    if (Array.isArray(passing)) {
      const present = names.filter((n) => isRecord(c.data) && n in c.data)
      const [first, second] = present
      override.set(c, {
        pointer: second === undefined ? c.instancePath : joinPointer(c.instancePath, second),
        message: `cannot be used together with "${first}": use ${expected}`,
        expected
      })
    } else {
      override.set(c, { pointer: c.instancePath, message: `must have ${expected}`, expected })
    }
    return
  }

  if (Array.isArray(passing)) {
    drop(members)
    override.set(c, { pointer: c.instancePath, message: 'matches more than one of the allowed forms; make it match exactly one' })
    return
  }

  // Branches whose type did not fit are not what the author meant; report the
  // closest remaining branch (fewest errors), or one "must be X or Y" when none fits.
  const byBranch = new Map<number, ErrorObject[]>()
  for (const e of members) {
    const index = Number(e.schemaPath.slice(c.schemaPath.length + 1).split('/')[0])
    byBranch.set(index, [...(byBranch.get(index) ?? []), e])
  }
  const fits = [...byBranch.entries()].filter(
    ([, list]) => !list.some((e) => (e.keyword === 'type' || e.keyword === 'false schema') && e.instancePath === c.instancePath)
  )
  if (fits.length > 0) {
    const [, best] = fits.reduce((a, b) => (b[1].length < a[1].length ? b : a))
    const keep = new Set(best)
    drop([c, ...members.filter((e) => !keep.has(e))])
    return
  }
  const types = [...new Set(members.filter((e) => e.keyword === 'type').flatMap((e) => typesOf(e)))]
  drop(members)
  const expected = types.length > 0 ? types.map(typeWord).join(' or ') : 'one of the allowed forms'
  override.set(c, { pointer: c.instancePath, message: `must be ${expected} (got ${show(c.data)})`, expected })
}

/** ajv's wording, rephrased per keyword, with the offending value where it helps. */
function phrase(e: ErrorObject): ConfigError {
  const at = e.instancePath
  const p = e.params as Record<string, unknown>
  const got = ` (got ${show(e.data)})`
  switch (e.keyword) {
    case 'type': {
      const expected = typesOf(e).map(typeWord).join(' or ')
      return { pointer: at, message: `must be ${expected}${got}`, expected }
    }
    case 'required': {
      const name = String(p.missingProperty)
      const property = propertiesOf(e.parentSchema)[name]
      const expected = isRecord(property) && typeof property.type === 'string' ? typeWord(property.type) : undefined
      return { pointer: joinPointer(at, name), message: 'is required', ...(expected === undefined ? {} : { expected }) }
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty)
      const allowed = Object.keys(propertiesOf(e.parentSchema))
      if (allowed.length === 0) return { pointer: joinPointer(at, name), message: `unknown property "${name}": no properties are allowed here` }
      const hint = closest(name, allowed)
      const expected = `one of ${allowed.join(', ')}`
      return {
        pointer: joinPointer(at, name),
        message: `unknown property "${name}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}; allowed: ${allowed.join(', ')}`,
        expected
      }
    }
    case 'enum': {
      const values = (p.allowedValues as unknown[]) ?? []
      const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
      return { pointer: at, message: `must be ${expected}${got}`, expected }
    }
    case 'const': {
      const expected = JSON.stringify(p.allowedValue)
      return { pointer: at, message: `must be ${expected}${got}`, expected }
    }
    case 'pattern': {
      const pattern = String(p.pattern)
      const known = PATTERN_PHRASES[pattern]
      if (known !== undefined) return { pointer: at, message: `${known.message}${got}`, expected: known.expected }
      return { pointer: at, message: `must match the pattern ${pattern}${got}`, expected: `a string matching ${pattern}` }
    }
    case 'format':
      return { pointer: at, message: `must be a valid ${String(p.format)}${got}`, expected: `a ${String(p.format)}` }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const expected = `${COMPARISON_WORDS[String(p.comparison)] ?? String(p.comparison)} ${String(p.limit)}`
      return { pointer: at, message: `must be ${expected}${got}`, expected }
    }
    case 'minLength':
      if (p.limit === 1) return { pointer: at, message: 'must not be empty', expected: 'a non-empty string' }
      return { pointer: at, message: `must be at least ${String(p.limit)} characters long${got}` }
    case 'maxLength':
      return { pointer: at, message: `must be at most ${String(p.limit)} characters long${got}` }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const bound = e.keyword.startsWith('min') ? 'at least' : 'at most'
      const unit = e.keyword.endsWith('Items') ? (p.limit === 1 ? 'item' : 'items') : p.limit === 1 ? 'property' : 'properties'
      return { pointer: at, message: `must have ${bound} ${String(p.limit)} ${unit}` }
    }
    case 'uniqueItems': {
      const [first, dup] = [Number(p.i), Number(p.j)].sort((a, b) => a - b) as [number, number]
      return { pointer: joinPointer(at, dup), message: `repeats item ${first}; list items must be unique` }
    }
    case 'not':
      // `not: {}` is how the schema spells "no plugin of this kind is loaded".
      if (isRecord(e.schema) && Object.keys(e.schema).length === 0) {
        return { pointer: at, message: `has no allowed value: no loaded plugin provides one${got}` }
      }
      return { pointer: at, message: `must not match the excluded form${got}` }
    case 'false schema':
      return { pointer: at, message: 'is not allowed here' }
    default:
      return { pointer: at, message: `${e.message ?? 'is invalid'}${e.data === undefined ? '' : got}` }
  }
}

function within(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`)
}

function requiredOnly(schema: unknown): string | undefined {
  if (!isRecord(schema) || Object.keys(schema).length !== 1) return undefined
  const required = schema.required
  return Array.isArray(required) && required.length === 1 && typeof required[0] === 'string' ? required[0] : undefined
}

function typesOf(e: ErrorObject): string[] {
  const type = (e.params as { type?: unknown }).type
  return Array.isArray(type) ? type.map(String) : String(type).split(',')
}

function typeWord(type: string): string {
  return TYPE_WORDS[type] ?? type
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  return isRecord(schema) && isRecord(schema.properties) ? schema.properties : {}
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The value as a reader would recognise it, kept short. */
function show(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a map'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** A known name a typo away (`intervall` → `interval`); short names need a closer match. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase())
    if (d <= Math.max(1, Math.floor(c.length / 3)) && d < bestDistance) [best, bestDistance] = [c, d]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost))
    }
    prev = row
  }
  return prev[b.length] as number
}
