import type { StorageInstance } from '../storage.js'

/** Makes a fresh, empty storage; `reopen` (when given) reopens the same data to prove durability. */
export interface StorageFactory {
  create(): Promise<StorageInstance>
  reopen?(): Promise<StorageInstance>
  cleanup?(): Promise<void>
}

export interface StorageConformanceOptions {
  name: string
}

/** Placeholder: the full suite lands with the storage plugins. */
export async function storageConformance(_t: unknown, _factory: StorageFactory, _options: StorageConformanceOptions): Promise<void> {
  throw new Error('not implemented yet')
}
