import { basename } from 'node:path'
import { defineCheck, runProcess, reportBy } from '@vedette/sdk'
import type { CheckContext, CheckOutcome, CheckStatus, Observations } from '@vedette/sdk'
import { compileNagiosConfig, parseNagiosConfig } from './config.js'
import type { NagiosCheckConfig } from './config.js'
import { parsePerfdata, splitPluginOutput, toMetrics } from './perfdata.js'

/** Longest `output` and `stderr` observations, in characters. */
export const OUTPUT_OBSERVATION_MAX = 4096

/** Nagios plugin return codes, https://nagios-plugins.org/doc/guidelines.html#AEN78 */
export const EXIT_STATUS: Readonly<Record<number, CheckStatus>> = { 0: 'up', 1: 'degraded', 2: 'down', 3: 'unknown' }

/**
 * Runs one Nagios-compatible plugin and maps its exit code, first line and perfdata.
 *
 * @example
 * await runNagiosCheck({ config: { command: 'check_http', args: ['-H', 'example.com'] }, signal, timeoutMs: 10000, ... })
 */
export async function runNagiosCheck(ctx: CheckContext<NagiosCheckConfig>): Promise<CheckOutcome> {
  const config = parseNagiosConfig(ctx.config)
  const name = basename(config.file)
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(), Math.max(0, reportBy(ctx) - Date.now()))
  const signal = AbortSignal.any([ctx.signal, stop.signal])
  let result: Awaited<ReturnType<typeof runProcess>>
  try {
    result = await runProcess(config.file, { args: config.args, env: config.env, cwd: config.cwd, signal, maxOutputBytes: config.maxOutputBytes })
  } finally {
    clearTimeout(timer)
  }
  if (result.end === 'error') return { status: 'unknown', message: describeSpawnError(result.error, config.file, config.cwd) }
  const observations: Observations = { output: bounded(result.stdout.trim()) }
  if (result.truncated) observations.outputTruncated = true
  const stderr = result.stderr.trim()
  if (stderr !== '') observations.stderr = bounded(stderr)
  if (result.end === 'aborted') {
    return { status: 'down', reason: 'timeout', message: `timed out after ${ctx.timeoutMs} ms; ${name} was killed`, observations }
  }
  const { summary, perfdata } = splitPluginOutput(result.stdout)
  const parsed = parsePerfdata(perfdata)
  for (const d of parsed.data) {
    observations[`perf.${d.label}`] = d.value ?? null
    if (d.warn !== '') observations[`perf.${d.label}.warn`] = d.warn
    if (d.crit !== '') observations[`perf.${d.label}.crit`] = d.crit
  }
  if (parsed.invalid.length > 0) observations.perfdataInvalid = parsed.invalid
  const metrics = toMetrics(parsed.data)
  const text = summary !== '' ? summary : firstLine(stderr)
  const outcome = (status: CheckStatus, message: string): CheckOutcome => ({ status, message, observations, ...(metrics.length > 0 ? { metrics } : {}) })
  if (result.exitCode === null) {
    observations.exitCode = null
    return outcome('unknown', `${name} was killed by ${result.exitSignal ?? 'a signal'}${text === '' ? '' : `: ${text}`}`)
  }
  observations.exitCode = result.exitCode
  const status = EXIT_STATUS[result.exitCode]
  if (status === undefined) return outcome('unknown', `${name} exited with code ${result.exitCode}, not a plugin state (0-3)${text === '' ? '' : `: ${text}`}`)
  return outcome(status, text !== '' ? text : `${name} exited with code ${result.exitCode} and printed nothing`)
}

/** The `validate` hook: what the JSON Schema cannot catch. */
export function validateNagiosConfig(config: NagiosCheckConfig): string[] {
  const problems: string[] = []
  compileNagiosConfig(config, problems)
  return problems
}

/** The plugin: the package's default export. */
export const nagiosCheck = defineCheck<NagiosCheckConfig>({
  run: runNagiosCheck,
  validate: validateNagiosConfig
})


function describeSpawnError(err: NodeJS.ErrnoException, file: string, cwd: string | undefined): string {
  // A missing cwd also reports ENOENT, naming the command: say which it was.
  if (err.code === 'ENOENT') return cwd === undefined ? `command not found: ${file}` : `command not found: ${file} (or cwd ${cwd} does not exist)`
  if (err.code === 'EACCES') return `command not executable: ${file}`
  return `could not start ${file}: ${err.code ?? ''} ${err.message}`.replace(/  +/, ' ')
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').trim()
}

function bounded(text: string): string {
  return text.length > OUTPUT_OBSERVATION_MAX ? text.slice(0, OUTPUT_OBSERVATION_MAX) : text
}
