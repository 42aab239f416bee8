import type { PluginDocuments, Storage } from '@vedette/sdk'

/**
 * A plugin's view of the storage document store: its collections are
 * prefixed with its package name, so two plugins never read each other's state.
 */
export function pluginDocuments(storage: Pick<Storage, 'putDocument' | 'getDocument' | 'listDocuments' | 'deleteDocument'>, plugin: string): PluginDocuments {
  const c = (collection: string): string => `plugin:${plugin}:${collection}`
  return {
    put: (tenantId, collection, id, doc) => storage.putDocument(tenantId, c(collection), id, doc),
    get: (tenantId, collection, id) => storage.getDocument(tenantId, c(collection), id),
    list: (tenantId, collection, query) => storage.listDocuments(tenantId, c(collection), query),
    delete: (tenantId, collection, id) => storage.deleteDocument(tenantId, c(collection), id)
  }
}
