import type { CheckOutcome } from './check-result.js'
import type { PushState } from './push.js'
import type { PluginHooks } from './hooks.js'
import type { AlertRuleKind } from './alert-rule.js'
import { InvalidPluginDefinitionError } from './errors.js'
import { kCheckPlugin } from './symbols.js'

/** The monitor a check runs for, as much of it as a check needs. */
export interface CheckMonitor {
  tenantId: string
  id: string
  name: string
  tags: readonly string[]
}

/** Everything one run of a check gets. */
export interface CheckContext<C> {
  monitor: CheckMonitor
  /** The monitor's `config` block, already validated against the plugin's configSchema. */
  config: C
  /** Aborted when the deadline passes: pass it to every I/O call. */
  signal: AbortSignal
  /** The run's time budget in ms; `deadline` is `performance.timeOrigin`-free epoch ms. */
  timeoutMs: number
  deadline: number
  /** What the monitor's assertions read beyond observations: put it in the outcome's `context`. */
  wants?: { body: boolean; headers: boolean }
  /** Push-based checks only (manifest `push: true`): the pings received on the monitor's token URL. */
  pushes?: PushState
}

export interface CheckDefinition<C> {
  /** Runs one check. Return `down` for target failures; throwing means a plugin bug. */
  run(ctx: CheckContext<C>): Promise<CheckOutcome>
  /** Once per worker before its first run (open shared clients, warm caches). */
  setup?(): void | Promise<void>
  /** When the worker shuts down, best effort. */
  teardown?(): void | Promise<void>
  /** Extra validation of a monitor config beyond its JSON Schema; return problems as messages. */
  validate?(config: C): readonly string[] | void
  hooks?: PluginHooks
  /** Alert rule kinds this plugin adds (loaded in the engine's main thread, never in workers). */
  alertRules?: readonly AlertRuleKind<never>[]
}

export interface CheckPlugin<C = unknown> extends CheckDefinition<C> {
  readonly [kCheckPlugin]: true
}

/**
 * Declares a check plugin. The module's default export must be the value returned.
 *
 * @example
 * export default defineCheck<{ url: string }>({
 *   async run({ config, signal }) {
 *     const res = await request(config.url, { signal })
 *     return { status: res.statusCode < 400 ? 'up' : 'down' }
 *   }
 * })
 */
export function defineCheck<C>(definition: CheckDefinition<C>): CheckPlugin<C> {
  if (definition === null || typeof definition !== 'object') {
    throw new InvalidPluginDefinitionError('check', 'expected an object')
  }
  if (typeof definition.run !== 'function') throw new InvalidPluginDefinitionError('check', '`run` must be a function')
  for (const key of ['setup', 'teardown', 'validate'] as const) {
    if (definition[key] !== undefined && typeof definition[key] !== 'function') {
      throw new InvalidPluginDefinitionError('check', `\`${key}\` must be a function when given`)
    }
  }
  return Object.freeze({ ...definition, [kCheckPlugin]: true as const })
}

export function isCheckPlugin(value: unknown): value is CheckPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kCheckPlugin] === true
}

/**
 * When a check should give up on its own: a tenth of the budget (at most
 * 100 ms) before the runtime's deadline. The runtime's timeout result can
 * only say "timeout"; a check that stops first can report what it saw — the
 * banner it got, the output a plugin printed, the server that stayed silent.
 */
export function reportBy(ctx: Pick<CheckContext<unknown>, 'deadline' | 'timeoutMs'>): number {
  return ctx.deadline - Math.min(100, ctx.timeoutMs / 10)
}
