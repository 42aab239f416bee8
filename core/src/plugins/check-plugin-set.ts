import { PluginDependencyError, PluginDuplicateError } from '../errors.js'
import type { PluginDescriptor } from './plugin-descriptor.js'

/**
 * Cross-plugin checks once every manifest is read: no package twice (from two
 * places), no two check plugins claiming one monitor type, every declared
 * dependency present. The same package reached twice from one directory (a
 * first-party plugin also listed in config) is the same plugin, not a clash.
 */
export function checkPluginSet(plugins: readonly PluginDescriptor[]): PluginDescriptor[] {
  const byName = new Map<string, PluginDescriptor>()
  const byCheckType = new Map<string, PluginDescriptor>()
  const unique: PluginDescriptor[] = []
  for (const p of plugins) {
    const seen = byName.get(p.name)
    if (seen !== undefined) {
      if (seen.dir === p.dir) continue
      throw new PluginDuplicateError(p.name, `from ${seen.dir} and ${p.dir}`)
    }
    if (p.kind === 'check') {
      const clash = byCheckType.get(p.shortName)
      if (clash !== undefined) {
        throw new PluginDuplicateError(p.name, `it provides monitor type '${p.shortName}', already provided by '${clash.name}'`)
      }
      byCheckType.set(p.shortName, p)
    }
    byName.set(p.name, p)
    unique.push(p)
  }
  for (const p of unique) {
    for (const dep of p.manifest.dependencies ?? []) {
      if (!byName.has(dep)) throw new PluginDependencyError(p.name, dep)
    }
  }
  return unique
}
