import type { MonitorSelector } from './alerting-types.js'

/** The parts of a monitor a selector looks at (a config `Monitor` is one). */
export interface SelectableMonitor {
  id: string
  tags: readonly string[]
  labels?: Readonly<Record<string, string>>
}

/** A selector turned into a predicate; build it once per rule, call it per monitor. */
export type MonitorPredicate = (monitor: SelectableMonitor) => boolean

const all: MonitorPredicate = () => true
// Rules, silences and windows keep their selector object for as long as the
// config version lives, and every check result is matched against them: the
// id and tag lists become sets once per selector, not once per result.
const compiled = new WeakMap<MonitorSelector, MonitorPredicate>()

/**
 * Builds the predicate of a selector. Every criterion that is given must
 * match (they narrow one another); inside one criterion:
 * - `ids`: the monitor's id is one of them;
 * - `tags`: the monitor has at least one of them;
 * - `labels`: the monitor has every one of these key/value pairs.
 * A left-out or empty criterion does not narrow anything, so `undefined` and
 * `{}` select every monitor (a silence `{ monitors: {} }` silences all).
 *
 * @example
 * const isApi = compileSelector({ tags: ['api', 'edge'], labels: { team: 'payments' } })
 * isApi({ id: 'checkout', tags: ['api'], labels: { team: 'payments', tier: '1' } }) // true
 */
export function compileSelector(selector: MonitorSelector | undefined): MonitorPredicate {
  if (selector === undefined) return all
  const cached = compiled.get(selector)
  if (cached !== undefined) return cached
  const ids = selector.ids !== undefined && selector.ids.length > 0 ? new Set(selector.ids) : undefined
  const tags = selector.tags !== undefined && selector.tags.length > 0 ? new Set(selector.tags) : undefined
  const labels = selector.labels !== undefined ? Object.entries(selector.labels) : []
  const predicate: MonitorPredicate =
    ids === undefined && tags === undefined && labels.length === 0
      ? all
      : (monitor) => {
          if (ids !== undefined && !ids.has(monitor.id)) return false
          if (tags !== undefined && !monitor.tags.some((tag) => tags.has(tag))) return false
          for (const [key, value] of labels) {
            // Own keys only: a label named `constructor` must not match Object.prototype.
            if (monitor.labels === undefined || !Object.hasOwn(monitor.labels, key) || monitor.labels[key] !== value) return false
          }
          return true
        }
  compiled.set(selector, predicate)
  return predicate
}

/**
 * Whether a selector covers a monitor; see `compileSelector` for the rules.
 *
 * @example
 * matchesSelector({ ids: ['db-1', 'db-2'] }, { id: 'db-2', tags: [] }) // true
 * matchesSelector(undefined, { id: 'anything', tags: [] })               // true
 */
export function matchesSelector(selector: MonitorSelector | undefined, monitor: SelectableMonitor): boolean {
  return compileSelector(selector)(monitor)
}

/** A copy without empty criteria, so equal selections compare equal in diffs and storage. */
export function normalizeSelector(selector: MonitorSelector | undefined): MonitorSelector {
  const out: MonitorSelector = {}
  if (selector?.ids !== undefined && selector.ids.length > 0) out.ids = [...new Set(selector.ids)]
  if (selector?.tags !== undefined && selector.tags.length > 0) out.tags = [...new Set(selector.tags)]
  if (selector?.labels !== undefined && Object.keys(selector.labels).length > 0) out.labels = { ...selector.labels }
  return out
}
