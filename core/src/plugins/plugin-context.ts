import { resolve } from 'node:path'
import type { Logger, PluginContext, Storage } from '@vedette/sdk'
import type { VedetteConfig } from '../config/types.js'
import { ENGINE_VERSION } from '../version.js'
import { pluginDocuments } from './plugin-documents.js'
import type { PluginRequest } from './plugin-loader.js'

/** What a plugin instance gets; with `storage`, its private document store too (auth and notifier plugins). */
export function pluginContext(
  name: string,
  config: Pick<VedetteConfig, 'dataDir'>,
  baseDir: string,
  logger: Logger,
  storage?: Pick<Storage, 'putDocument' | 'getDocument' | 'listDocuments' | 'deleteDocument'>
): PluginContext {
  return {
    name,
    engineVersion: ENGINE_VERSION,
    dataDir: config.dataDir,
    resolvePath: (p) => resolve(baseDir, p),
    logger,
    ...(storage === undefined ? {} : { documents: pluginDocuments(storage, name) })
  }
}

/** The plugins a normalised config asks the loader for. */
export function pluginRequest(config: Pick<VedetteConfig, 'storage' | 'plugins' | 'auth' | 'cluster'>): PluginRequest {
  return {
    storage: config.storage.plugin,
    plugins: config.plugins,
    auth: config.auth.enabled ? config.auth.plugins.map((p) => p.plugin) : [],
    ...(config.cluster === undefined ? {} : { cluster: config.cluster.plugin })
  }
}
