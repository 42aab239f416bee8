/**
 * The worker entry: piscina threads and tinypool child processes both run this
 * module. It loads check plugins by URL, runs one check per call with its own
 * deadline and turns every failure into a result, so that one plugin's bug
 * stays inside that plugin's check.
 */
import { isMainThread } from 'node:worker_threads'
import { isCheckPlugin } from '../check.js'
import type { CheckPlugin } from '../check.js'
import { CheckExitError } from '../errors.js'
import type { CheckTask, CheckTaskResult } from './check-task.js'
import { describeThrown, runWithDeadline } from './run-with-deadline.js'

export type { CheckTask, CheckTaskResult } from './check-task.js'

const loaded = new Map<string, Promise<CheckPlugin>>()
let guarded = false

/**
 * Off the main thread, `process.exit` from a plugin would take the whole worker
 * and every other check running on it; make it throw inside the caller instead.
 * Stray rejections and exceptions (a plugin's forgotten timer) are logged, not fatal.
 */
function guardWorker(): void {
  if (guarded || (isMainThread && typeof process.send !== 'function')) return
  guarded = true
  const exit = (code?: number | string | null): never => {
    throw new CheckExitError(String(code ?? 0))
  }
  process.exit = exit as typeof process.exit
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`vedette worker: unhandled rejection from a check plugin: ${describe(reason)}\n`)
  })
  process.on('uncaughtException', (err) => {
    process.stderr.write(`vedette worker: uncaught exception from a check plugin: ${describe(err)}\n`)
  })
  process.once('beforeExit', () => {
    for (const p of loaded.values()) void p.then((plugin) => plugin.teardown?.()).catch(() => {})
  })
}

function loadPlugin(url: string): Promise<CheckPlugin> {
  let p = loaded.get(url)
  if (p === undefined) {
    p = (async () => {
      const mod = (await import(url)) as { default?: unknown }
      if (!isCheckPlugin(mod.default)) {
        throw new TypeError(`${url} does not default-export a plugin made with defineCheck()`)
      }
      await mod.default.setup?.()
      return mod.default
    })()
    // A failed load is retried on the next run rather than cached forever.
    p.catch(() => loaded.delete(url))
    loaded.set(url, p)
  }
  return p
}

export default async function runCheckTask(task: CheckTask): Promise<CheckTaskResult> {
  guardWorker()
  return runWithDeadline(() => loadPlugin(task.module), task)
}

function describe(err: unknown): string {
  return describeThrown(err)
}
