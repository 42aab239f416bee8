import type { AlertEvent, CheckResult, HookHandler, HookName, HookRegistration, HookSignatures, PluginHooks, ScheduleEvent } from '@vedette/sdk'
import type { Logger } from '@vedette/sdk'
import { HookFailedError, HookTimeoutError } from '../errors.js'
import { orderHandlers } from './order-handlers.js'
import type { HookEntry } from './order-handlers.js'

export interface HookRunnerOptions {
  /** Default per-handler timeout. */
  timeoutMs: number
  logger: Logger
  /** Told about every failed or timed-out handler (feeds the hook-error metric). */
  onHandlerError?: (hook: HookName, plugin: string, err: Error) => void
}

type AnyEntry = HookEntry<HookName>

/**
 * The one place every hook handler runs. Each call gets the plugin/hook context
 * on its errors, a timeout, a failure count, and can never stop the handlers
 * after it: a broken plugin degrades itself, not the pipeline.
 */
export class HookRunner {
  readonly #opts: HookRunnerOptions
  readonly #entries = new Map<HookName, AnyEntry[]>()
  readonly #ordered = new Map<HookName, AnyEntry[]>()
  #seq = 0

  constructor(options: HookRunnerOptions) {
    this.#opts = options
  }

  /** Registers all hooks of one plugin; call in config order. */
  addPlugin(plugin: string, hooks: PluginHooks | undefined): void {
    if (!hooks) return
    for (const [name, value] of Object.entries(hooks) as Array<[HookName, HookHandler<HookName> | HookRegistration<HookName>]>) {
      this.add(plugin, name, value)
    }
  }

  add<N extends HookName>(plugin: string, hook: N, value: HookHandler<N> | HookRegistration<N>): void {
    const reg: HookRegistration<N> = typeof value === 'function' ? { handler: value } : value
    const list = this.#entries.get(hook) ?? []
    list.push({ plugin, hook, seq: this.#seq++, ...reg } as unknown as AnyEntry)
    this.#entries.set(hook, list)
    // Order eagerly so a dependency cycle fails at registration, not mid-run.
    this.#ordered.set(hook, orderHandlers(hook, list))
  }

  has(hook: HookName): boolean {
    return (this.#ordered.get(hook)?.length ?? 0) > 0
  }

  /** Sequential; the first handler returning `{ veto }` (or `false`) stops the run. */
  async runSchedule(event: ScheduleEvent): Promise<{ veto: string; by: string } | undefined> {
    for (const entry of this.#list('onSchedule')) {
      const out = await this.#call(entry, event)
      if (out === false) return { veto: 'vetoed', by: entry.plugin }
      if (out && typeof out === 'object' && 'veto' in out) return { veto: String(out.veto), by: entry.plugin }
    }
    return undefined
  }

  /** Sequential; each handler may return an enriched copy of the result. */
  async runCheckResult(result: CheckResult): Promise<CheckResult> {
    let current = result
    for (const entry of this.#list('onCheckResult')) {
      const out = (await this.#call(entry, current)) as CheckResult | void
      if (out && typeof out === 'object') current = out
    }
    return current
  }

  /** Sequential filters: a handler returning `false` drops the alert; one returning an object replaces it. */
  async runAlert(event: AlertEvent): Promise<AlertEvent | false> {
    let current = event
    for (const entry of this.#list('onAlert')) {
      const out = (await this.#call(entry, current)) as AlertEvent | false | void
      if (out === false) return false
      if (out && typeof out === 'object') current = out
    }
    return current
  }

  /** In parallel, for notifications that need no answer (onStateChange, onPersist, onReady). */
  async runParallel<N extends 'onStateChange' | 'onPersist' | 'onReady'>(hook: N, payload: HookSignatures[N]['payload']): Promise<void> {
    const list = this.#list(hook)
    if (list.length === 0) return
    await Promise.all(list.map((entry) => this.#call(entry, payload)))
  }

  /** preClose in order, then onClose last-registered-first, like a stack unwinding. */
  async runClose(): Promise<void> {
    for (const entry of this.#list('preClose')) await this.#call(entry, undefined)
    for (const entry of [...this.#list('onClose')].reverse()) await this.#call(entry, undefined)
  }

  /** Handler order for a hook, for diagnostics and tests. */
  order(hook: HookName): string[] {
    return this.#list(hook).map((e) => e.plugin)
  }

  #list(hook: HookName): readonly AnyEntry[] {
    return this.#ordered.get(hook) ?? []
  }

  async #call(entry: AnyEntry, payload: unknown): Promise<unknown> {
    const timeoutMs = entry.timeoutMs ?? this.#opts.timeoutMs
    let timer: NodeJS.Timeout | undefined
    try {
      const run = Promise.resolve().then(() => (entry.handler as (p: unknown) => unknown)(payload))
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HookTimeoutError(entry.hook, entry.plugin, timeoutMs)), timeoutMs)
      })
      return await Promise.race([run, timeout])
    } catch (err) {
      const wrapped =
        (err as { code?: string })?.code === 'VDT_ERR_HOOK_TIMEOUT'
          ? (err as Error)
          : new HookFailedError(entry.hook, entry.plugin, (err as Error)?.message ?? String(err), { cause: err })
      this.#opts.logger.error({ err: wrapped, hook: entry.hook, plugin: entry.plugin }, wrapped.message)
      this.#opts.onHandlerError?.(entry.hook, entry.plugin, wrapped)
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }
}
