import { isAuthPlugin, isCheckPlugin, isCoordinationPlugin, isNotifierPlugin, isStoragePlugin } from '@vedette/sdk'
import type { PluginKind } from '@vedette/sdk'
import { PluginModuleShapeError } from '../errors.js'
import type { PluginDescriptor, PluginModules } from './plugin-descriptor.js'

const brandChecks: Record<PluginKind, (v: unknown) => boolean> = {
  check: isCheckPlugin,
  storage: isStoragePlugin,
  notifier: isNotifierPlugin,
  auth: isAuthPlugin,
  coordination: isCoordinationPlugin
}
const definers: Record<PluginKind, string> = {
  check: 'defineCheck',
  storage: 'defineStorage',
  notifier: 'defineNotifier',
  auth: 'defineAuth',
  coordination: 'defineCoordination'
}

/**
 * Imports a plugin's entry and checks its default export carries the brand of
 * the kind its manifest declares (a `Symbol.for` brand, so any SDK copy works).
 */
export async function importPlugin<K extends PluginKind>(desc: PluginDescriptor & { kind: K }): Promise<PluginModules[K]> {
  let mod: { default?: unknown }
  try {
    mod = (await import(desc.moduleUrl)) as { default?: unknown }
  } catch (err) {
    throw new PluginModuleShapeError(desc.name, `importing ${desc.moduleUrl} failed: ${(err as Error).message}`, { cause: err })
  }
  if (!brandChecks[desc.kind](mod.default)) {
    throw new PluginModuleShapeError(
      desc.name,
      `its manifest says kind '${desc.kind}' but the module's default export was not made with ${definers[desc.kind]}() from @vedette/sdk`
    )
  }
  return mod.default as PluginModules[K]
}
