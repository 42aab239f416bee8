import ms from 'ms'
import type { AuthenticatorInstance, CheckPlugin, Coordinator, NotifierPlugin, StorageInstance, PluginContext } from '@vedette/sdk'
import { PluginKindError } from '../errors.js'
import { checkPluginSet } from './check-plugin-set.js'
import { DEFAULT_STORAGE, FIRST_PARTY_AUTH, FIRST_PARTY_CHECKS, FIRST_PARTY_CLUSTER, FIRST_PARTY_NOTIFIERS, FIRST_PARTY_STORAGE } from './first-party.js'
import { importPlugin } from './import-plugin.js'
import { createWithin, validatePluginConfig } from './instantiate.js'
import type { LoadedCheck, PluginDescriptor } from './plugin-descriptor.js'
import { readPluginManifest } from './read-manifest.js'
import { resolvePluginDir } from './resolve-plugin.js'

export interface PluginLoaderOptions {
  engineVersion: string
  /** Directory that relative plugin paths (and package lookups) start from: the config file's. */
  baseDir: string
  /** Deadline for each plugin's `create`; default 10 s. */
  initTimeoutMs?: number
}

/** What the config asks for. */
export interface PluginRequest {
  /** Package name, short name (`sqlite`) or path of the storage plugin. */
  storage?: string
  /** Extra plugins by package name or path. */
  plugins?: readonly string[]
  /** Auth plugins, in the order they are tried. */
  auth?: readonly string[]
  /** The coordination plugin of cluster mode (package name, short name or path). */
  cluster?: string
}

/** Manifests of everything a config would load: enough to build its schema. */
export interface PluginCatalog {
  all: PluginDescriptor[]
  checks: PluginDescriptor[]
  storage: PluginDescriptor
  /** In the order the config lists them. */
  auth: PluginDescriptor[]
  /** First-party notifiers and any listed in `plugins`. */
  notifiers: PluginDescriptor[]
  /** The coordination plugin, in cluster mode. */
  cluster?: PluginDescriptor
}

const DEFAULT_CHECK_TIMEOUT_MS = 10_000

/**
 * Loads plugins in the order the plugin contract fixes: manifest shape,
 * apiVersion, engine range (readPluginManifest), duplicates and dependencies
 * (checkPluginSet), config against schema and module shape (here), and init
 * within a timeout (createStorage). Each failure is its own VDT_ERR_PLUGIN_*.
 */
export class PluginLoader {
  readonly #opts: Required<PluginLoaderOptions>

  constructor(options: PluginLoaderOptions) {
    this.#opts = { initTimeoutMs: 10_000, ...options }
  }

  /** Reads and cross-checks manifests without importing any plugin code. */
  catalog(request: PluginRequest = {}): PluginCatalog {
    const { engineVersion, baseDir } = this.#opts
    const storageRef = FIRST_PARTY_STORAGE[request.storage ?? ''] ?? request.storage ?? DEFAULT_STORAGE
    const clusterRef = request.cluster === undefined ? undefined : (FIRST_PARTY_CLUSTER[request.cluster] ?? request.cluster)
    const refs: Array<{ ref: string; source: 'first-party' | 'config' }> = [
      ...FIRST_PARTY_CHECKS.map((ref) => ({ ref, source: 'first-party' as const })),
      { ref: storageRef, source: Object.values(FIRST_PARTY_STORAGE).includes(storageRef) ? 'first-party' : 'config' },
      ...(request.plugins ?? []).map((ref) => ({ ref, source: 'config' as const })),
      ...(request.auth ?? []).map((ref) => ({ ref, source: FIRST_PARTY_AUTH.includes(ref) ? ('first-party' as const) : ('config' as const) })),
      ...FIRST_PARTY_NOTIFIERS.filter((ref) => !(request.plugins ?? []).includes(ref)).map((ref) => ({ ref, source: 'first-party' as const })),
      ...(clusterRef === undefined ? [] : [{ ref: clusterRef, source: clusterRef === FIRST_PARTY_CLUSTER.redis ? ('first-party' as const) : ('config' as const) }])
    ]
    const descriptors = refs.map(({ ref, source }) =>
      readPluginManifest(resolvePluginDir(ref, baseDir), ref, source, engineVersion)
    )
    const all = checkPluginSet(descriptors)
    const storage = all.find((d) => d.dir === descriptors[FIRST_PARTY_CHECKS.length]?.dir) as PluginDescriptor
    if (storage.kind !== 'storage') throw new PluginKindError(storage.name, storage.kind, 'storage')
    const clusterDesc = clusterRef === undefined ? undefined : all.find((d) => d.dir === descriptors.at(-1)?.dir)
    if (clusterDesc !== undefined && clusterDesc.kind !== 'coordination') throw new PluginKindError(clusterDesc.name, clusterDesc.kind, 'coordination')
    const notifierCount = descriptors.length - FIRST_PARTY_CHECKS.length - 1 - (request.plugins?.length ?? 0) - (request.auth?.length ?? 0) - (clusterRef === undefined ? 0 : 1)
    const tail = clusterRef === undefined ? 0 : 1
    const authDirs = descriptors.slice(descriptors.length - tail - notifierCount - (request.auth?.length ?? 0), descriptors.length - tail - notifierCount).map((d) => d.dir)
    const auth = authDirs.map((dir) => all.find((d) => d.dir === dir) as PluginDescriptor)
    for (const a of auth) if (a.kind !== 'auth') throw new PluginKindError(a.name, a.kind, 'auth')
    return { all, checks: all.filter((d) => d.kind === 'check'), storage, auth, notifiers: all.filter((d) => d.kind === 'notifier'), ...(clusterDesc === undefined ? {} : { cluster: clusterDesc }) }
  }

  /** Imports every check plugin of the catalog and checks its module shape. */
  async loadChecks(catalog: PluginCatalog): Promise<Map<string, LoadedCheck>> {
    const checks = new Map<string, LoadedCheck>()
    for (const desc of catalog.checks) {
      const plugin: CheckPlugin = await importPlugin({ ...desc, kind: 'check' })
      const timeout = desc.manifest.defaultTimeout
      checks.set(desc.shortName, {
        ...desc,
        kind: 'check',
        plugin,
        isolation: desc.manifest.isolation ?? 'thread',
        push: desc.manifest.push === true,
        defaultTimeoutMs: timeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS : typeof timeout === 'number' ? timeout : ms(timeout as ms.StringValue)
      })
    }
    return checks
  }

  /** Validates an auth plugin's config, imports it and creates the instance within the init timeout. */
  async createAuth(desc: PluginDescriptor, config: unknown, ctx: PluginContext): Promise<AuthenticatorInstance> {
    const valid = validatePluginConfig(desc, config)
    const plugin = await importPlugin({ ...desc, kind: 'auth' })
    return createWithin(desc, this.#opts.initTimeoutMs, () => plugin.create(valid, ctx))
  }

  /** Validates the coordination plugin's config, imports it and creates the coordinator within the init timeout. */
  async createCoordinator(desc: PluginDescriptor, config: unknown, ctx: PluginContext): Promise<Coordinator> {
    const valid = validatePluginConfig(desc, config)
    const plugin = await importPlugin({ ...desc, kind: 'coordination' })
    return createWithin(desc, this.#opts.initTimeoutMs, () => plugin.create(valid, ctx))
  }

  /** Imports a notifier plugin (its templates and alert rule kinds are needed before any channel exists). */
  importNotifier(desc: PluginDescriptor): Promise<NotifierPlugin> {
    return importPlugin({ ...desc, kind: 'notifier' })
  }

  /** Validates a channel's config against the notifier's schema and creates the instance within the init timeout. */
  async createNotifier(desc: PluginDescriptor, plugin: NotifierPlugin, config: unknown, ctx: PluginContext) {
    const valid = validatePluginConfig(desc, config)
    return createWithin(desc, this.#opts.initTimeoutMs, () => plugin.create(valid, ctx))
  }

  /** Validates the storage config, imports the plugin and creates the instance within the init timeout. */
  async createStorage(desc: PluginDescriptor, config: unknown, ctx: PluginContext): Promise<StorageInstance> {
    const valid = validatePluginConfig(desc, config)
    const plugin = await importPlugin({ ...desc, kind: 'storage' })
    return createWithin(desc, this.#opts.initTimeoutMs, () => plugin.create(valid, ctx))
  }
}
