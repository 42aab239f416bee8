import { DEFAULT_AUTH_PLUGIN } from './normalize-config.js'
/** The plugins a config asks for, as written (package names, short names or paths). */
export interface PluginRefs {
  /** `storage.plugin`; absent when the config keeps the default. */
  storage?: string
  /** `plugins` entries in order, without duplicates. */
  plugins: string[]
  /** Monitor `type`s in first-use order, without duplicates, so a missing check plugin can be named early. */
  checkTypes: string[]
  /** Auth plugins in order: `auth.plugins`, the default API-key plugin when left out, none when auth is disabled. */
  auth: string[]
  /** `cluster.plugin`, when the config runs in cluster mode. */
  cluster?: string
}

/**
 * Picks the plugin references out of a config that has not been validated yet.
 * The full schema needs every plugin's configSchema, so this runs first and
 * must not fail on a broken document: anything malformed is skipped here and
 * reported by validation once the plugins are known.
 *
 * @example
 * pluginRefs({ storage: { plugin: 'sqlite' }, plugins: ['@acme/check-ftp', { name: './local' }] })
 * // { storage: 'sqlite', plugins: ['@acme/check-ftp', './local'], checkTypes: [] }
 */
export function pluginRefs(input: unknown): PluginRefs {
  const refs: PluginRefs = { plugins: [], checkTypes: [], auth: [DEFAULT_AUTH_PLUGIN] }
  if (!isRecord(input)) return refs
  if (isRecord(input.auth)) {
    if (input.auth.enabled === false) refs.auth = []
    else if (Array.isArray(input.auth.plugins)) {
      refs.auth = []
      for (const entry of input.auth.plugins) {
        const name = isRecord(entry) ? entry.plugin : undefined
        if (isName(name) && !refs.auth.includes(name)) refs.auth.push(name)
      }
    }
  }
  if (isRecord(input.storage) && isName(input.storage.plugin)) refs.storage = input.storage.plugin
  if (isRecord(input.cluster) && isName(input.cluster.plugin)) refs.cluster = input.cluster.plugin
  if (Array.isArray(input.plugins)) {
    for (const entry of input.plugins) {
      const name = isRecord(entry) ? entry.name : entry
      if (isName(name) && !refs.plugins.includes(name)) refs.plugins.push(name)
    }
  }
  if (Array.isArray(input.monitors)) {
    for (const monitor of input.monitors) {
      const type = isRecord(monitor) ? monitor.type : undefined
      if (isName(type) && !refs.checkTypes.includes(type)) refs.checkTypes.push(type)
    }
  }
  return refs
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}
