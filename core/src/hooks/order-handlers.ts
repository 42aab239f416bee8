import type { HookName, HookRegistration } from '@vedette/sdk'
import { HookCycleError } from '../errors.js'

export type HookEntry<N extends HookName> = HookRegistration<N> & { plugin: string; hook: N; seq: number }

const bucketOf = (e: { order?: 'pre' | 'post' }): number => (e.order === 'pre' ? 0 : e.order === 'post' ? 2 : 1)

/**
 * Orders a hook's handlers: `pre` bucket, unbucketed, `post` bucket; within
 * that, a handler naming plugins in `after` runs after all of theirs; ties
 * keep registration (config) order. A topological sort that always picks the
 * ready handler with the smallest (bucket, seq) gives exactly that.
 */
export function orderHandlers<N extends HookName>(hook: N, entries: readonly HookEntry<N>[]): HookEntry<N>[] {
  const rank = (e: HookEntry<N>): number => bucketOf(e) * 1e9 + e.seq
  const pending = new Set(entries)
  const out: HookEntry<N>[] = []
  while (pending.size > 0) {
    let next: HookEntry<N> | undefined
    for (const e of pending) {
      const blocked = (e.after ?? []).some((dep) => [...pending].some((p) => p !== e && p.plugin === dep))
      if (!blocked && (next === undefined || rank(e) < rank(next))) next = e
    }
    if (next === undefined) {
      throw new HookCycleError(hook, [...pending].map((e) => `${e.plugin} after [${(e.after ?? []).join(', ')}]`).join(', '))
    }
    pending.delete(next)
    out.push(next)
  }
  return out
}
