import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Piscina } from 'piscina'
import type { CheckMonitor } from '../check.js'
import type { CheckTaskResult } from '../runtime/check-task.js'
import { DEFAULT_TENANT } from '../storage.js'
import { normalizeAssertions } from '../assertions/normalize-assertions.js'
import type { PushState } from '../push.js'

export interface RunCheckOptions {
  timeoutMs?: number
  monitor?: Partial<CheckMonitor>
  /** Assertions to judge the outcome by, one-line or object form, as a monitor's `assertions`. */
  assertions?: ReadonlyArray<string | object>
  /** For push-based checks: the pings the engine would hand the run. */
  pushes?: PushState
}

const require = createRequire(import.meta.url)

/**
 * Resolves a plugin to the `file:` URL of its entry module: a package directory
 * (its package.json `exports`/`main`), a module file, or an installed package name.
 */
export function resolvePluginModule(plugin: string | URL): string {
  if (plugin instanceof URL) return plugin.href
  if (plugin.startsWith('file:')) return plugin
  const path = resolve(plugin)
  if (existsSync(path) && statSync(path).isDirectory()) {
    const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as {
      main?: string
      exports?: string | Record<string, unknown>
    }
    const entry = exportEntry(pkg.exports) ?? pkg.main ?? 'index.js'
    return pathToFileURL(join(path, entry)).href
  }
  if (existsSync(path)) return pathToFileURL(path).href
  return pathToFileURL(require.resolve(plugin)).href
}

function exportEntry(exp: unknown): string | undefined {
  if (typeof exp === 'string') return exp
  if (exp === null || typeof exp !== 'object') return undefined
  const dot = (exp as Record<string, unknown>)['.'] ?? exp
  if (typeof dot === 'string') return dot
  if (dot !== null && typeof dot === 'object') {
    const d = dot as Record<string, unknown>
    for (const k of ['import', 'default', 'node']) {
      const v = d[k]
      if (typeof v === 'string') return v
      if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).default === 'string') {
        return (v as Record<string, string>).default
      }
    }
  }
  return undefined
}

/**
 * Runs one check through the engine's real worker entry, in a real worker
 * thread, exactly as the dispatcher would, and returns its normalised result.
 *
 * @example
 * const result = await runCheck('./', { url: 'http://127.0.0.1:8080/health' })
 * t.equal(result.status, 'up')
 */
export async function runCheck(plugin: string | URL, config: unknown, options: RunCheckOptions = {}): Promise<CheckTaskResult> {
  const pool = new Piscina({
    filename: new URL('../runtime/check-worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1
  })
  try {
    return (await pool.run({
      module: resolvePluginModule(plugin),
      config,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.assertions ? { assertions: normalizeAssertions(options.assertions) } : {}),
      ...(options.pushes ? { pushes: options.pushes } : {}),
      monitor: {
        tenantId: options.monitor?.tenantId ?? DEFAULT_TENANT,
        id: options.monitor?.id ?? 'test-monitor',
        name: options.monitor?.name ?? 'test monitor',
        tags: options.monitor?.tags ?? []
      }
    })) as CheckTaskResult
  } finally {
    await pool.destroy()
  }
}
