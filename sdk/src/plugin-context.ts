import type { Logger } from './logger.js'

/** What the engine hands a plugin when it creates an instance of it. */
export interface PluginContext {
  /** The plugin's package name. */
  name: string
  /** Version of @vedette/core running the plugin. */
  engineVersion: string
  /** A directory the plugin may keep files in (the engine's data dir). */
  dataDir: string
  /** Resolves a path from the plugin's config against the directory of the config file. */
  resolvePath(path: string): string
  logger: Logger
}
