import { randomInt, randomUUID } from 'node:crypto'
import type { CheckMonitor } from '@vedette/sdk'

/** The placeholders a body, a header value or the URL query may carry. */
export const PLACEHOLDERS = ['monitor.id', 'monitor.name', 'now.iso', 'now.epoch', 'now.epochMs', 'random.uuid', 'random.int'] as const
export type Placeholder = (typeof PLACEHOLDERS)[number]

/** A text split at its placeholders: literal strings and placeholder names, in order. */
export type Template = ReadonlyArray<string | { placeholder: Placeholder }>

/** One run's values: computed once, so every occurrence of a placeholder in a run agrees. */
export type TemplateValues = Readonly<Record<Placeholder, string>>

// `{{ name }}` where name looks like an identifier path. Anything else between
// braces (`{{"a":1}}` in some body) is left alone rather than refused.
const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g
const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDERS)
// random.int fits a signed 32-bit field, the narrowest integer an API is likely to parse it into.
const RANDOM_INT_LIMIT = 2 ** 31

/** Where in a text placeholders may stand, `[start, end)`, and what to call that part. */
export interface TemplateScope {
  start: number
  end: number
  name: string
}

/**
 * Splits `text` at its placeholders; `undefined` when it has none (the common
 * case, which then costs nothing per run). An unknown placeholder, or one
 * outside `scope`, is pushed to `problems` naming it and where it was found.
 *
 * @example
 * compileTemplate('{"id":"{{monitor.id}}"}', 'body', []) // ['{"id":"', { placeholder: 'monitor.id' }, '"}']
 */
export function compileTemplate(text: string, where: string, problems: string[], scope?: TemplateScope): Template | undefined {
  if (!text.includes('{{')) return undefined
  const parts: (string | { placeholder: Placeholder })[] = []
  let last = 0
  let unknown = false
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] as string
    if (!KNOWN.has(name)) {
      problems.push(`unknown placeholder {{${name}}} in ${where} (known: ${PLACEHOLDERS.join(', ')})`)
      unknown = true
      continue
    }
    if (scope !== undefined && (m.index < scope.start || m.index >= scope.end)) {
      problems.push(`placeholder {{${name}}} in ${where} is only allowed in the ${scope.name}`)
      unknown = true
      continue
    }
    if (m.index > last) parts.push(text.slice(last, m.index))
    parts.push({ placeholder: name as Placeholder })
    last = m.index + m[0].length
  }
  if (unknown || parts.length === 0) return undefined
  if (last < text.length) parts.push(text.slice(last))
  return parts
}

/** The values for one run of `monitor`, at `now` (epoch ms). */
export function templateValues(monitor: Pick<CheckMonitor, 'id' | 'name'>, now: number = Date.now()): TemplateValues {
  return {
    'monitor.id': monitor.id,
    'monitor.name': monitor.name,
    'now.iso': new Date(now).toISOString(),
    'now.epoch': String(Math.floor(now / 1000)),
    'now.epochMs': String(now),
    'random.uuid': randomUUID(),
    'random.int': String(randomInt(RANDOM_INT_LIMIT))
  }
}

/**
 * The template with this run's values in place, each passed through `encode`
 * (the URL query percent-encodes them; a header value drops control characters).
 */
export function renderTemplate(template: Template, values: TemplateValues, encode: (value: string) => string = identity): string {
  let out = ''
  for (const part of template) out += typeof part === 'string' ? part : encode(values[part.placeholder])
  return out
}

function identity(value: string): string {
  return value
}
