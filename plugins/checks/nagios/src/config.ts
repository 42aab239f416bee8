import { isAbsolute, join } from 'node:path'
import { InvalidNagiosConfigError } from './errors.js'

/** A monitor's `config` block for `type: nagios`; mirrors `vedette.configSchema` in package.json. */
export interface NagiosCheckConfig {
  /** Absolute path, or a bare name looked up in {@link NAGIOS_PLUGIN_DIR}. */
  command: string
  /** Passed as is, no shell. */
  args?: string[]
  /** On top of PATH and LC_ALL=C. */
  env?: Record<string, string>
  /** Absolute working directory. */
  cwd?: string
  /** Default 64 KiB per stream. */
  maxOutputBytes?: number
}

/** Where Debian's monitoring-plugins-* packages install the plugins. */
export const NAGIOS_PLUGIN_DIR = '/usr/lib/nagios/plugins'

/** The defaults the schema documents; a test keeps the two in step. */
export const NAGIOS_CHECK_DEFAULTS = {
  args: [] as string[],
  env: {} as Record<string, string>,
  maxOutputBytes: 65_536
} as const

export interface CompiledNagiosConfig {
  /** Absolute path of the binary. */
  file: string
  args: string[]
  env: Record<string, string>
  cwd: string | undefined
  maxOutputBytes: number
}

// A bare name is a file name only: `../x` or `sub/x` would escape the plugin directory.
const BARE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/

/**
 * Applies defaults and checks what JSON Schema cannot. Problems go to
 * `problems`; the result is `undefined` when there is any.
 */
export function compileNagiosConfig(config: NagiosCheckConfig, problems: string[]): CompiledNagiosConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  const { command } = config
  let file = ''
  if (typeof command !== 'string' || command === '') problems.push('command is required')
  else if (isAbsolute(command)) file = command
  else if (BARE_NAME.test(command)) file = join(NAGIOS_PLUGIN_DIR, command)
  else problems.push(`command must be an absolute path or a bare file name in ${NAGIOS_PLUGIN_DIR}, got ${JSON.stringify(command)}`)
  const args = config.args ?? NAGIOS_CHECK_DEFAULTS.args
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) problems.push('args must be an array of strings')
  const env = config.env ?? NAGIOS_CHECK_DEFAULTS.env
  if (env === null || typeof env !== 'object' || Array.isArray(env) || !Object.values(env).every((v) => typeof v === 'string')) {
    problems.push('env must be an object of strings')
  }
  if (config.cwd !== undefined && (typeof config.cwd !== 'string' || !isAbsolute(config.cwd))) problems.push('cwd must be an absolute path')
  const maxOutputBytes = config.maxOutputBytes ?? NAGIOS_CHECK_DEFAULTS.maxOutputBytes
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 1) problems.push('maxOutputBytes must be an integer >= 1')
  if (problems.length > before) return undefined
  return {
    file,
    args: [...args],
    // Only what the plugin needs: the engine's environment may hold secrets
    // (database URLs, API keys). LC_ALL=C keeps decimal points in perfdata.
    env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', ...env },
    cwd: config.cwd,
    maxOutputBytes
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseNagiosConfig(config: NagiosCheckConfig): CompiledNagiosConfig {
  const problems: string[] = []
  const compiled = compileNagiosConfig(config, problems)
  if (compiled === undefined) throw new InvalidNagiosConfigError(problems.join('; '))
  return compiled
}
