import { mkdirSync } from 'node:fs'
import type { AuthenticatorInstance, StorageInstance } from '@vedette/sdk'
import { ClusterService } from '../cluster/cluster-service.js'
import { assertMonitorConfigs } from '../plugins/check-config-problems.js'
import { pluginContext, pluginRequest } from '../plugins/plugin-context.js'
import type { LoadedCheck } from '../plugins/plugin-descriptor.js'
import { PluginLoader } from '../plugins/plugin-loader.js'
import type { PluginCatalog } from '../plugins/plugin-loader.js'
import { ENGINE_VERSION } from '../version.js'
import type { EngineOptions } from './engine.js'

/** Everything an engine is built from, once its plugins are loaded and created. */
export interface EnginePlugins {
  loader: PluginLoader
  catalog: PluginCatalog
  checks: Map<string, LoadedCheck>
  storage: StorageInstance
  authenticators: AuthenticatorInstance[]
  cluster: ClusterService | undefined
}

/**
 * Loads and creates the plugins of a config: check modules, the storage, the
 * auth plugins and, in cluster mode, the coordinator. Monitor configs are
 * checked against their plugins here; on a failure the storage is closed.
 */
export async function loadEnginePlugins(options: EngineOptions): Promise<EnginePlugins> {
  const { config, baseDir, logger } = options
  const loader = new PluginLoader({ engineVersion: ENGINE_VERSION, baseDir })
  const catalog = options.catalog ?? loader.catalog(pluginRequest(config))
  const checks = await loader.loadChecks(catalog)
  mkdirSync(config.dataDir, { recursive: true })
  const storage = await loader.createStorage(
    catalog.storage,
    config.storage.config,
    pluginContext(catalog.storage.name, config, baseDir, logger.child({ plugin: catalog.storage.name }))
  )
  const authenticators: AuthenticatorInstance[] = []
  if (config.auth.enabled) {
    for (const [i, desc] of catalog.auth.entries()) {
      const ctx = pluginContext(desc.name, config, baseDir, logger.child({ plugin: desc.name }), storage)
      authenticators.push(await loader.createAuth(desc, config.auth.plugins[i]?.config ?? {}, ctx))
    }
  }
  let cluster: ClusterService | undefined
  try {
    assertMonitorConfigs(checks, config.monitors, options.configName ?? 'config')
    if (config.cluster !== undefined && catalog.cluster !== undefined) {
      const ctx = pluginContext(catalog.cluster.name, config, baseDir, logger.child({ plugin: catalog.cluster.name }))
      cluster = new ClusterService(config.cluster, await loader.createCoordinator(catalog.cluster, config.cluster.config, ctx), logger)
    }
  } catch (err) {
    await storage.stop().catch(() => {})
    throw err
  }
  return { loader, catalog, checks, storage, authenticators, cluster }
}
