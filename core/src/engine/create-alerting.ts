import type { AlertRuleKind, Logger, MonitorStatus, StorageInstance } from '@vedette/sdk'
import type { Registry } from 'prom-client'
import { AlertingService } from '../alerts/alerting-service.js'
import type { Monitor, VedetteConfig } from '../config/types.js'
import { pluginContext } from '../plugins/plugin-context.js'
import type { LoadedCheck, PluginDescriptor } from '../plugins/plugin-descriptor.js'
import type { PluginLoader } from '../plugins/plugin-loader.js'

export interface AlertingWiring {
  config: VedetteConfig
  baseDir: string
  logger: Logger
  storage: StorageInstance
  registry: Registry
  loader: PluginLoader
  notifiers: readonly PluginDescriptor[]
  checks: ReadonlyMap<string, LoadedCheck>
  getMonitor(id: string, tenantId: string): Monitor | undefined
  listMonitors(): Monitor[]
  monitorState(tenantId: string, id: string): { status: MonitorStatus; since: number } | undefined
  isLocal?(tenantId: string, monitorId: string): boolean
  onSilenceSpent?(tenantId: string, silenceId: string): void
}

/** The engine's alerting service: notifier plugins through the loader, rule kinds from the built-ins and check plugins. */
export function createAlerting(w: AlertingWiring): AlertingService {
  const pluginRuleKinds: AlertRuleKind<never>[] = [...w.checks.values()].flatMap((c) => [...(c.plugin.alertRules ?? [])])
  return new AlertingService({
    storage: w.storage,
    registry: w.registry,
    logger: w.logger.child({ component: 'alerting' }),
    notifiers: w.notifiers,
    loadNotifier: (desc) => w.loader.importNotifier(desc),
    createNotifier: (n, config, ctx) => w.loader.createNotifier(n.desc, n.plugin, config, ctx),
    notifierContext: (n) => pluginContext(n.desc.name, w.config, w.baseDir, w.logger.child({ plugin: n.desc.name }), w.storage),
    pluginRuleKinds,
    getMonitor: w.getMonitor,
    listMonitors: w.listMonitors,
    monitorState: w.monitorState,
    ...(w.isLocal ? { isLocal: w.isLocal } : {}),
    ...(w.config.server.publicUrl ? { publicUrl: w.config.server.publicUrl } : {}),
    ...(w.onSilenceSpent ? { onSilenceSpent: w.onSilenceSpent } : {})
  })
}
