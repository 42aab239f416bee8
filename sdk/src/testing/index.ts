export { runCheck, resolvePluginModule } from './run-check.js'
export type { RunCheckOptions } from './run-check.js'
export { storageConformance } from './storage-conformance.js'
export type { StorageFactory, StorageConformanceOptions } from './storage-conformance.js'
