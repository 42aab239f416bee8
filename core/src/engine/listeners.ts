/**
 * A set of listeners for one engine event. `add` returns the unsubscribe
 * function; `emit` calls each in order (listeners are plain observers, a
 * throwing one is the caller's bug and surfaces).
 */
export class Listeners<A extends unknown[]> {
  readonly #fns = new Set<(...args: A) => void>()

  add(fn: (...args: A) => void): () => void {
    this.#fns.add(fn)
    return () => this.#fns.delete(fn)
  }

  emit(...args: A): void {
    for (const fn of this.#fns) fn(...args)
  }
}
