import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Test } from 'tap'
import type { Observations } from '../check-result.js'
import type { ObservationType, PluginManifest } from '../manifest.js'

const declarations = new Map<string, Record<string, ObservationType>>()

/**
 * Asserts, one tap assertion each, that every observation a run returned is
 * declared with its type in the plugin's manifest (`vedette.observations` in
 * package.json). The engine checks monitors' assertions against that list at
 * config time, so an undeclared observation is one no user can assert on.
 *
 * @param plugin the package directory, as `runCheck` takes it (a path or a `file:` URL)
 * @example
 * const result = await runCheck(plugin, { url })
 * assertObservationsDeclared(t, plugin, result.observations)
 */
export function assertObservationsDeclared(t: Test, plugin: string | URL, observations: Observations | undefined): void {
  const declared = declaredObservations(plugin)
  for (const [name, value] of Object.entries(observations ?? {})) {
    const type = declared[name]
    const actual = Array.isArray(value) ? 'array' : value === null ? 'any' : typeof value
    t.ok(type === actual || type === 'any', `observation ${name} (${actual}) declared as ${String(type)}`)
  }
}

function declaredObservations(plugin: string | URL): Record<string, ObservationType> {
  const href = plugin instanceof URL || plugin.startsWith('file:') ? String(plugin) : pathToFileURL(resolve(plugin)).href
  const url = new URL('package.json', href.endsWith('/') ? href : `${href}/`)
  let declared = declarations.get(url.href)
  if (declared === undefined) {
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { vedette?: Partial<PluginManifest> }
    declared = pkg.vedette?.observations ?? {}
    declarations.set(url.href, declared)
  }
  return declared
}
