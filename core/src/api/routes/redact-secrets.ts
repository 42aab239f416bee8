import type { JsonSchema } from '@vedette/sdk'
import { joinPointer } from '../../config/json-pointer.js'

/** What every secret is replaced with in API output. Sent back on a write, it keeps the stored value. */
export const REDACTED = '********'

/**
 * Where the secrets of a value are, read from its JSON Schema: `self` when
 * the whole value is one, `props` per named property, `patterns` for
 * patternProperties / additionalProperties (a null regex matches any key),
 * `items` for array elements.
 */
export interface SecretTree {
  self?: true
  props?: Map<string, SecretTree>
  patterns?: Array<{ re: RegExp | null; tree: SecretTree }>
  items?: SecretTree
}

const trees = new WeakMap<object, SecretTree | null>()

/**
 * The secret places of a schema: every subschema marked `"writeOnly": true`
 * (JSON Schema's "sent, never returned"). Branches of allOf / anyOf / oneOf /
 * if-then-else and local `$ref`s are merged, so a value that is secret in any
 * branch is treated as secret: redacting too much is safe, too little is not.
 * Undefined when the schema marks nothing.
 */
export function secretTree(schema: JsonSchema | undefined): SecretTree | undefined {
  if (schema === undefined || typeof schema === 'boolean') return undefined
  let tree = trees.get(schema)
  if (tree === undefined) {
    tree = walk(schema, schema, new Set()) ?? null
    trees.set(schema, tree)
  }
  return tree ?? undefined
}

function walk(schema: unknown, root: Record<string, unknown>, seen: Set<unknown>): SecretTree | undefined {
  if (schema === null || typeof schema !== 'object') return undefined
  // A recursive schema (a $ref back to an enclosing one): the tree cannot
  // unroll it, so a recursion that may hold a secret is redacted whole.
  if (seen.has(schema)) return JSON.stringify(root).includes('"writeOnly":true') ? { self: true } : undefined
  seen.add(schema)
  const s = schema as Record<string, unknown>
  let tree: SecretTree | undefined = s.writeOnly === true ? { self: true } : undefined
  if (isObject(s.properties)) {
    for (const [name, sub] of Object.entries(s.properties)) {
      const t = walk(sub, root, seen)
      if (t !== undefined) tree = mergeSecretTrees(tree, { props: new Map([[name, t]]) })
    }
  }
  if (isObject(s.patternProperties)) {
    for (const [pattern, sub] of Object.entries(s.patternProperties)) {
      const t = walk(sub, root, seen)
      if (t !== undefined) tree = mergeSecretTrees(tree, { patterns: [{ re: safeRegExp(pattern), tree: t }] })
    }
  }
  const additional = walk(s.additionalProperties, root, seen)
  if (additional !== undefined) tree = mergeSecretTrees(tree, { patterns: [{ re: null, tree: additional }] })
  for (const items of [s.items, s.additionalItems, ...(Array.isArray(s.prefixItems) ? s.prefixItems : []), ...(Array.isArray(s.items) ? s.items : [])]) {
    const t = Array.isArray(items) ? undefined : walk(items, root, seen)
    if (t !== undefined) tree = mergeSecretTrees(tree, { items: t })
  }
  const branches = [...arrayOf(s.allOf), ...arrayOf(s.anyOf), ...arrayOf(s.oneOf), s.if, s.then, s.else]
  if (typeof s.$ref === 'string') branches.push(resolveLocal(root, s.$ref))
  for (const branch of branches) tree = mergeSecretTrees(tree, walk(branch, root, seen))
  seen.delete(schema)
  return tree
}

/** `#/$defs/x` and `#/definitions/x` within the plugin's own schema; remote refs cannot be followed here. */
function resolveLocal(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let at: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    at = isObject(at) ? at[key] : undefined
  }
  return at
}

/** Secret in the result when secret in either. */
export function mergeSecretTrees(a: SecretTree | undefined, b: SecretTree | undefined): SecretTree | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const out: SecretTree = { ...(a.self || b.self ? { self: true as const } : {}) }
  if (a.props !== undefined || b.props !== undefined) {
    out.props = new Map(a.props)
    for (const [k, v] of b.props ?? []) out.props.set(k, mergeSecretTrees(out.props.get(k), v) as SecretTree)
  }
  if (a.patterns !== undefined || b.patterns !== undefined) out.patterns = [...(a.patterns ?? []), ...(b.patterns ?? [])]
  const items = mergeSecretTrees(a.items, b.items)
  if (items !== undefined) out.items = items
  return out
}

/** The subtree of one property, or undefined when nothing under it is secret. */
function child(tree: SecretTree, key: string): SecretTree | undefined {
  let out = tree.props?.get(key)
  for (const p of tree.patterns ?? []) if (p.re === null || p.re.test(key)) out = mergeSecretTrees(out, p.tree)
  return out
}

/**
 * The tree of the value at `keys` (property names, or indexes into arrays)
 * below a value with `tree`; inside a secret everything is secret.
 */
export function secretSubtree(tree: SecretTree | undefined, keys: readonly string[]): SecretTree | undefined {
  let at = tree
  for (const key of keys) {
    if (at === undefined || at.self) return at
    at = /^\d+$/.test(key) && at.items !== undefined ? at.items : child(at, key)
  }
  return at
}

/** A copy of `value` with every secret replaced by REDACTED (absent values stay absent). */
export function redact(value: unknown, tree: SecretTree | undefined): unknown {
  if (tree === undefined || value === undefined) return value
  if (tree.self) return REDACTED
  if (Array.isArray(value)) return tree.items === undefined ? value : value.map((v) => redact(v, tree.items))
  if (!isObject(value)) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, child(tree, k))]))
}

/** The secret values in `value` (non-strings as JSON), for scrubbing text that may quote them. */
export function secretValues(value: unknown, tree: SecretTree | undefined): string[] {
  if (tree === undefined || value === undefined) return []
  if (tree.self) return [typeof value === 'string' ? value : JSON.stringify(value)]
  if (Array.isArray(value)) return tree.items === undefined ? [] : value.flatMap((v) => secretValues(v, tree.items))
  if (!isObject(value)) return []
  return Object.entries(value).flatMap(([k, v]) => secretValues(v, child(tree, k)))
}

/**
 * `incoming` with each secret sent as REDACTED replaced by the value stored at
 * the same place, so a client may write back what it read. `missing` lists the
 * pointers (relative to the value) where REDACTED was sent but nothing is stored.
 */
export function restoreRedacted(incoming: unknown, stored: unknown, tree: SecretTree | undefined, at = ''): { value: unknown; missing: string[] } {
  const missing: string[] = []
  const go = (value: unknown, kept: unknown, t: SecretTree | undefined, pointer: string): unknown => {
    if (t === undefined) return value
    if (t.self && value === REDACTED) {
      if (kept === undefined) missing.push(pointer)
      return kept ?? value
    }
    if (Array.isArray(value)) return t.items === undefined ? value : value.map((v, i) => go(v, Array.isArray(kept) ? kept[i] : undefined, t.items, joinPointer(pointer, i)))
    if (!isObject(value)) return value
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, go(v, isObject(kept) ? kept[k] : undefined, child(t, k), joinPointer(pointer, k))]))
  }
  return { value: go(incoming, stored, tree, at), missing }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** A plugin's pattern that is not a valid JS regex matches every key: it may name secrets. */
function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u')
  } catch {
    return null
  }
}
