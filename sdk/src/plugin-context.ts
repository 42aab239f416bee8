import type { Logger } from './logger.js'
import type { DocumentQuery, Page, StoredDocument } from './storage.js'

/**
 * Durable JSON documents for a plugin's own state (API keys, tokens, cursors),
 * kept by the engine's storage backend so they are shared by every node.
 * Collections are private to the plugin.
 */
export interface PluginDocuments {
  put(tenantId: string, collection: string, id: string, doc: Record<string, unknown>): Promise<void>
  get(tenantId: string, collection: string, id: string): Promise<StoredDocument | undefined>
  list(tenantId: string, collection: string, query?: DocumentQuery): Promise<Page<StoredDocument>>
  delete(tenantId: string, collection: string, id: string): Promise<boolean>
}

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
  /** The plugin's document store; present for notifier and auth plugins (storage is open by their `start`). */
  documents?: PluginDocuments
}
