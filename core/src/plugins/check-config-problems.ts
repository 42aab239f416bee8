import type { Monitor } from '../config/types.js'
import type { ConfigError } from '../config/config-error.js'
import { formatConfigErrors } from '../config/config-error.js'
import { ConfigInvalidError, UnknownCheckTypeError } from '../errors.js'
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

/** Every problem check plugins' `validate` finds in these monitors, at `/monitors/<i>/config` (or `pointer`). */
export function monitorConfigProblems(
  checks: ReadonlyMap<string, LoadedCheck>,
  monitors: ReadonlyArray<Pick<Monitor, 'type' | 'config'>>,
  pointer: (index: number) => string = (i) => `/monitors/${i}/config`
): ConfigError[] {
  return monitors.flatMap((m, i) => pluginProblems(checks, m).map((message) => ({ pointer: pointer(i), message })))
}

/** Throws VDT_ERR_CHECK_TYPE_UNKNOWN or VDT_ERR_CONFIG_INVALID (naming `source`) unless the plugins accept these monitors. */
export function assertMonitorConfigs(
  checks: ReadonlyMap<string, LoadedCheck>,
  monitors: ReadonlyArray<Pick<Monitor, 'type' | 'config'>>,
  source: string,
  pointer?: (index: number) => string
): void {
  for (const m of monitors) if (!checks.has(m.type)) throw new UnknownCheckTypeError(m.type, [...checks.keys()].join(', '))
  const problems = monitorConfigProblems(checks, monitors, pointer)
  if (problems.length > 0) throw new ConfigInvalidError(source, formatConfigErrors(problems, source), { details: problems })
}
