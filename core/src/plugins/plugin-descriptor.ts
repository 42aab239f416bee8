import type { CheckPlugin, CoordinationPlugin, PluginKind, PluginManifest, StoragePlugin, NotifierPlugin, AuthPlugin } from '@vedette/sdk'

/** Where a plugin came from: shipped with the engine, or named in the config. */
export type PluginSource = 'first-party' | 'config'

/** A plugin whose manifest has been read and checked; no plugin code has run yet. */
export interface PluginDescriptor {
  /** Package name (the name used in errors and `vedette plugins`). */
  name: string
  version: string
  kind: PluginKind
  /** Manifest `name`, or the package name without scope and kind prefix. */
  shortName: string
  manifest: PluginManifest
  /** Package directory. */
  dir: string
  /** `file:` URL of the entry module. */
  moduleUrl: string
  source: PluginSource
}

export interface PluginModules {
  check: CheckPlugin
  storage: StoragePlugin
  notifier: NotifierPlugin
  auth: AuthPlugin
  coordination: CoordinationPlugin
}

/** A check plugin ready for the dispatcher. */
export interface LoadedCheck extends PluginDescriptor {
  kind: 'check'
  plugin: CheckPlugin
  isolation: 'thread' | 'process'
  /** Push-based (heartbeat): the engine hands runs the monitor's pings. */
  push: boolean
  defaultTimeoutMs: number
}
