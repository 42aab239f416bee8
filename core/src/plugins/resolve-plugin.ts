import { existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, resolve } from 'node:path'
import { PluginNotFoundError } from '../errors.js'

/**
 * Finds a plugin's package directory. A reference that looks like a path
 * (`./x`, `../x`, `/x`) is taken relative to the config file's directory;
 * anything else is a package name, resolved from there first and then from
 * the engine's own install (where the first-party plugins live).
 */
export function resolvePluginDir(ref: string, baseDir: string): string {
  if (ref.startsWith('.') || isAbsolute(ref)) {
    const dir = resolve(baseDir, ref)
    if (existsSync(resolve(dir, 'package.json')) && statSync(dir).isDirectory()) return dir
    throw new PluginNotFoundError(ref, `a package.json in ${dir}`)
  }
  const tried: string[] = []
  for (const from of [resolve(baseDir, 'noop.js'), import.meta.url]) {
    try {
      return dirname(createRequire(from).resolve(`${ref}/package.json`))
    } catch {
      tried.push(from.startsWith('file:') ? 'the engine install' : baseDir)
    }
  }
  throw new PluginNotFoundError(ref, `node_modules from ${tried.join(' and ')}`)
}
