import { reportBy } from '@vedette/sdk'
import type { CheckContext } from '@vedette/sdk'

/**
 * The run's own stop signal: aborted with the context's, or at `reportBy`,
 * a little before the runtime's deadline. Stopping first lets the check report
 * what it saw (the phase it was stuck in, an expected failure under `invert`)
 * instead of losing the race to the runtime's bare timeout result.
 */
export class RunSignal {
  readonly #controller = new AbortController()
  readonly #ctx: Pick<CheckContext<unknown>, 'signal' | 'deadline' | 'timeoutMs'>
  readonly #timer: NodeJS.Timeout

  constructor(ctx: Pick<CheckContext<unknown>, 'signal' | 'deadline' | 'timeoutMs'>) {
    this.#ctx = ctx
    if (ctx.signal.aborted) this.#controller.abort(ctx.signal.reason)
    else ctx.signal.addEventListener('abort', this)
    this.#timer = setTimeout(this.#expire, Math.max(0, reportBy(ctx) - Date.now()))
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** The context's signal fired (the runtime's deadline, or a stopping engine). */
  handleEvent(): void {
    this.#controller.abort(this.#ctx.signal.reason)
  }

  readonly #expire = (): void => {
    this.#controller.abort(new Error(`timed out after ${this.#ctx.timeoutMs} ms`))
  }

  dispose(): void {
    clearTimeout(this.#timer)
    this.#ctx.signal.removeEventListener('abort', this)
  }
}
