import { DEFAULT_TENANT } from '@vedette/sdk'
import { ConfigVersionConflictError } from '../api/api-errors.js'
import type { Storage } from '@vedette/sdk'
import type { MonitorInput, VedetteConfigInput } from '../config/types.js'

const COLLECTION = 'config-versions'
/** A full copy every this many versions bounds how far a reconstruction walks back. */
const SNAPSHOT_EVERY = 200

/** What history lists for each version. */
export interface ConfigVersionInfo {
  version: number
  author: string
  at: number
  summary: string
  /** sha256 of the config file's text when the version came from the file (start or --watch). */
  fileHash?: string
}

/** One monitor added, replaced or removed by a version. */
export type MonitorChange = { op: 'put'; id: string; monitor: MonitorInput } | { op: 'delete'; id: string }

interface StoredVersion extends ConfigVersionInfo {
  /** Full document (snapshot) or the monitor changes since the previous version. */
  document?: VedetteConfigInput
  changes?: MonitorChange[]
  [key: string]: unknown
}

/**
 * Config versions in the storage document store. Whole-document applies are
 * stored as snapshots; single-monitor API changes as small change records on
 * top of the previous version (creating one monitor among 100,000 must not
 * rewrite 100,000), with a snapshot every SNAPSHOT_EVERY versions.
 */
export class ConfigVersions {
  readonly #storage: Pick<Storage, 'putDocument' | 'getDocument' | 'listDocuments' | 'insertDocument'>
  readonly #tenant: string

  constructor(storage: Pick<Storage, 'putDocument' | 'getDocument' | 'listDocuments' | 'insertDocument'>, tenantId = DEFAULT_TENANT) {
    this.#storage = storage
    this.#tenant = tenantId
  }

  async latest(): Promise<ConfigVersionInfo | undefined> {
    const page = await this.#storage.listDocuments(this.#tenant, COLLECTION, { order: 'desc', limit: 1 })
    const doc = page.items[0]?.doc as StoredVersion | undefined
    return doc && info(doc)
  }

  /** The newest version that came from the config file, to tell whether the file changed since. */
  async latestFromFile(): Promise<ConfigVersionInfo | undefined> {
    let cursor: string | undefined
    do {
      const page = await this.#storage.listDocuments(this.#tenant, COLLECTION, { order: 'desc', limit: 100, ...(cursor ? { cursor } : {}) })
      for (const item of page.items) if ((item.doc as StoredVersion).fileHash !== undefined) return info(item.doc as StoredVersion)
      cursor = page.nextCursor
    } while (cursor !== undefined)
    return undefined
  }

  async list(limit: number, cursor?: string): Promise<{ items: ConfigVersionInfo[]; nextCursor?: string }> {
    const page = await this.#storage.listDocuments(this.#tenant, COLLECTION, { order: 'desc', limit, ...(cursor ? { cursor } : {}) })
    return { items: page.items.map((i) => info(i.doc as StoredVersion)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }
  }

  async info(version: number): Promise<ConfigVersionInfo | undefined> {
    const doc = await this.#get(version)
    return doc && info(doc)
  }

  /** Version numbers are claimed with a create-if-absent: two nodes never both store version N (the second gets a 409). */
  async saveSnapshot(meta: ConfigVersionInfo, document: VedetteConfigInput): Promise<void> {
    await this.#claim(meta, { ...meta, document } as StoredVersion)
  }

  /** Stores a change record, or a snapshot of `current` when one is due. */
  async saveChange(meta: ConfigVersionInfo, changes: MonitorChange[], current: VedetteConfigInput): Promise<void> {
    if (meta.version % SNAPSHOT_EVERY === 0) return this.saveSnapshot(meta, current)
    await this.#claim(meta, { ...meta, changes } as StoredVersion)
  }

  async #claim(meta: ConfigVersionInfo, record: StoredVersion): Promise<void> {
    const stored = await this.#storage.insertDocument(this.#tenant, COLLECTION, key(meta.version), record as unknown as Record<string, unknown>)
    if (!stored) throw new ConfigVersionConflictError(meta.version)
  }

  /** The whole document as of `version`, or undefined when there is no such version. */
  async document(version: number): Promise<VedetteConfigInput | undefined> {
    const chain: StoredVersion[] = []
    for (let v = version; v >= 1; v--) {
      const doc = await this.#get(v)
      if (doc === undefined) return undefined
      chain.push(doc)
      if (doc.document !== undefined) break
    }
    const base = chain.pop()
    if (base?.document === undefined) return undefined
    const document = structuredClone(base.document)
    for (const step of chain.reverse()) applyChanges(document, step.changes ?? [])
    return document
  }

  async #get(version: number): Promise<StoredVersion | undefined> {
    return (await this.#storage.getDocument(this.#tenant, COLLECTION, key(version)))?.doc as StoredVersion | undefined
  }
}

/** Applies monitor changes to a document in place, keeping monitors in their order. */
export function applyChanges(document: VedetteConfigInput, changes: readonly MonitorChange[]): void {
  const monitors = (document.monitors ??= [])
  for (const change of changes) {
    const at = monitors.findIndex((m) => m.id === change.id)
    if (change.op === 'delete') {
      if (at >= 0) monitors.splice(at, 1)
    } else if (at >= 0) monitors[at] = change.monitor
    else monitors.push(change.monitor)
  }
}

function key(version: number): string {
  // Zero-padded so the store's id order is version order.
  return String(version).padStart(12, '0')
}

function info(doc: StoredVersion): ConfigVersionInfo {
  return { version: doc.version, author: doc.author, at: doc.at, summary: doc.summary, ...(doc.fileHash === undefined ? {} : { fileHash: doc.fileHash }) }
}
