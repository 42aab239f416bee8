import type { Monitor } from '../config/types.js'
import type { LoadedCheck } from './plugin-descriptor.js'

/**
 * What a check plugin's own `validate` finds wrong with a monitor config,
 * beyond its JSON Schema (a URL that does not parse, a regex that does not
 * compile). A validate that throws is reported as a problem, not a crash.
 */
export function pluginProblems(checks: ReadonlyMap<string, LoadedCheck>, monitor: Pick<Monitor, 'type' | 'config'>): string[] {
  const check = checks.get(monitor.type)
  if (check?.plugin.validate === undefined) return []
  try {
    return [...(check.plugin.validate(monitor.config) ?? [])]
  } catch (err) {
    return [`${check.name} could not validate this config: ${(err as Error).message}`]
  }
}
