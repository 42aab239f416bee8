import type { Logger, NotifierInstance, NotifierPlugin, PluginContext } from '@vedette/sdk'
import type { PluginDescriptor } from '../plugins/plugin-descriptor.js'
import type { ChannelRuntime, DeliveryPolicy } from './outbox-sender.js'
import type { Templates } from './templates.js'

/** A loaded notifier plugin: its manifest and its module. */
export interface LoadedNotifier {
  desc: PluginDescriptor
  plugin: NotifierPlugin
}

/** A channel as configured (normalised). */
export interface ChannelSpec {
  id: string
  type: string
  config: Record<string, unknown>
  template?: Templates
  fallback?: string
  delivery: DeliveryPolicy
  enabled: boolean
}

export interface ChannelRegistryOptions {
  /** Notifier plugins the catalog knows (manifests only; modules are imported when a channel needs one). */
  notifiers: readonly PluginDescriptor[]
  load(desc: PluginDescriptor): Promise<NotifierPlugin>
  create(notifier: LoadedNotifier, config: Record<string, unknown>, ctx: PluginContext): Promise<NotifierInstance>
  context(notifier: LoadedNotifier): PluginContext
  logger: Logger
}

interface Entry {
  spec: ChannelSpec
  json: string
  runtime: ChannelRuntime
}

/**
 * The channels of each tenant as running notifier instances. Applying a new
 * channel list keeps the instances of unchanged channels, stops removed and
 * changed ones and creates the new ones.
 */
export class ChannelRegistry {
  readonly #o: ChannelRegistryOptions
  readonly #entries = new Map<string, Entry>()
  readonly #loaded = new Map<string, Promise<NotifierPlugin>>()

  constructor(options: ChannelRegistryOptions) {
    this.#o = options
  }

  /** The notifier plugin for a channel `type` (its short name or package name), imported once. */
  async notifier(type: string): Promise<LoadedNotifier | undefined> {
    const desc = this.#o.notifiers.find((d) => d.shortName === type || d.name === type)
    if (desc === undefined) return undefined
    let plugin = this.#loaded.get(desc.name)
    if (plugin === undefined) this.#loaded.set(desc.name, (plugin = this.#o.load(desc)))
    return { desc, plugin: await plugin }
  }

  get(tenantId: string, id: string): ChannelRuntime | undefined {
    return this.#entries.get(`${tenantId}\0${id}`)?.runtime
  }

  spec(tenantId: string, id: string): ChannelSpec | undefined {
    return this.#entries.get(`${tenantId}\0${id}`)?.spec
  }

  list(tenantId: string): ChannelSpec[] {
    return [...this.#entries.values()].filter((e) => e.runtime.tenantId === tenantId).map((e) => e.spec)
  }

  async apply(tenantId: string, specs: readonly ChannelSpec[]): Promise<void> {
    const wanted = new Map(specs.filter((s) => s.enabled).map((s) => [s.id, s]))
    for (const [key, entry] of [...this.#entries]) {
      if (entry.runtime.tenantId !== tenantId) continue
      const next = wanted.get(entry.spec.id)
      if (next !== undefined && JSON.stringify(next) === entry.json) continue
      this.#entries.delete(key)
      await entry.runtime.instance.stop?.().catch((err: unknown) => this.#o.logger.warn({ err, channel: entry.spec.id }, 'stopping a channel failed'))
    }
    for (const spec of wanted.values()) {
      const key = `${tenantId}\0${spec.id}`
      if (this.#entries.has(key)) continue
      const notifier = await this.notifier(spec.type)
      if (notifier === undefined) {
        this.#o.logger.error({ channel: spec.id, type: spec.type }, 'no notifier plugin for this channel type; the channel is skipped')
        continue
      }
      const instance = await this.#o.create(notifier, spec.config, this.#o.context(notifier))
      await instance.start?.()
      this.#entries.set(key, {
        spec,
        json: JSON.stringify(spec),
        runtime: { id: spec.id, tenantId, type: notifier.desc.shortName, instance, templates: [spec.template, notifier.plugin.templates], delivery: spec.delivery }
      })
    }
  }

  async stop(): Promise<void> {
    for (const entry of this.#entries.values()) await entry.runtime.instance.stop?.().catch(() => {})
    this.#entries.clear()
  }
}
