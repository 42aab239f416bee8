import { readFile } from 'node:fs/promises'
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml'
import type { Alias, Document } from 'yaml'
import { ConfigNotFoundError, ConfigReadError, ConfigSyntaxError } from './errors.js'
import { parsePointer } from './json-pointer.js'

/** 1-based line and column in the config text. */
export interface SourcePosition {
  line: number
  column: number
}

/** A parsed config document that still knows where each value was written. */
export interface ParsedConfig {
  /** The document as plain data, not yet validated. */
  input: unknown
  /** The name used in messages, usually the path as the user gave it. */
  filename: string
  /**
   * Where the value at a JSON pointer was written: a map entry's key, a list
   * item's start. For a pointer that does not exist (a missing required
   * property) it answers for the deepest ancestor that does.
   */
  locate(pointer: string): SourcePosition | undefined
}

/**
 * Parses config text. YAML is a superset of JSON, so JSON documents work too.
 * An empty document (nothing or only comments) is `{}`: every setting has a
 * default.
 *
 * @throws VDT_ERR_CONFIG_SYNTAX naming `file:line:column` of the first error.
 */
export function parseConfigText(text: string, filename: string): ParsedConfig {
  const lineCounter = new LineCounter()
  // Merge keys (`<<: *defaults`) are YAML 1.1 but common in monitor lists.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true })
  const syntaxError = (offset: number, reason: string, cause?: unknown): Error => {
    const { line, col } = lineCounter.linePos(offset)
    return new ConfigSyntaxError(filename, line, col, reason, {
      details: [{ pointer: '', line, column: col, message: `invalid YAML: ${reason}` }],
      cause
    })
  }
  const first = doc.errors[0]
  if (first !== undefined) throw syntaxError(first.pos[0], first.message)
  // The parser accepts `*name` before `&name` exists; toJS would then fail
  // without a position, so find such aliases first.
  let dangling: Alias | undefined
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined
      dangling = node
      return visit.BREAK
    }
  })
  if (dangling !== undefined) throw syntaxError(rangeStart(dangling) ?? 0, `alias *${dangling.source} has no anchor before it`)
  let input: unknown
  try {
    // maxAliasCount guards against "billion laughs" documents.
    input = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 })
  } catch (err) {
    throw syntaxError(rangeStart(doc.contents) ?? 0, (err as Error).message, err)
  }
  return { input, filename, locate: (pointer) => locateNode(doc, lineCounter, pointer) }
}

/**
 * Reads and parses a config file.
 *
 * @throws VDT_ERR_CONFIG_NOT_FOUND, VDT_ERR_CONFIG_READ or VDT_ERR_CONFIG_SYNTAX.
 */
export async function readConfigFile(path: string): Promise<ParsedConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ConfigNotFoundError(path, { cause: err })
    throw new ConfigReadError(path, (err as Error).message, { cause: err })
  }
  return parseConfigText(text, path)
}

function locateNode(doc: Document, lines: LineCounter, pointer: string): SourcePosition | undefined {
  let tokens: string[]
  try {
    tokens = parsePointer(pointer)
  } catch {
    return undefined
  }
  let node: unknown = doc.contents
  let offset = rangeStart(node)
  for (const token of tokens) {
    if (isAlias(node)) node = node.resolve(doc)
    let next: { at: number | undefined; node: unknown } | undefined
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === token)
      if (pair !== undefined) next = { at: rangeStart(pair.key) ?? rangeStart(pair.value), node: pair.value }
    } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(token)) {
      const item = node.items[Number(token)]
      if (item !== undefined) next = { at: rangeStart(item), node: item }
    }
    if (next === undefined) break
    if (next.at !== undefined) offset = next.at
    node = next.node
  }
  if (offset === undefined) return undefined
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}

function keyText(key: unknown): string {
  return String(isScalar(key) ? key.value : key)
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined
  const range = (node as { range?: readonly number[] | null }).range
  return range?.[0]
}
