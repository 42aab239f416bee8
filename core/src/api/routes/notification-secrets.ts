import type { PluginDescriptor } from '../../plugins/plugin-descriptor.js'
import { redactConnectionSecrets, redactUrlPasswords, restoreConnectionSecrets } from './connection-secrets.js'
import type { ChannelInput } from '../../alerts/alerting-types.js'
import type { VedetteConfigInput } from '../../config/types.js'
import type { ConfigDiffEntry } from '../../config-service/config-diff.js'
import { ConfigInvalidError } from '../../config/errors.js'
import { parsePointer } from '../../config/json-pointer.js'
import { mergeSecretTrees, REDACTED, redact, restoreRedacted, secretSubtree, secretTree, secretValues } from './redact-secrets.js'
import type { SecretTree } from './redact-secrets.js'

/**
 * The secrets of notification channels: each notifier's manifest marks them
 * `writeOnly` in its configSchema. Channel configs leave the API with those
 * values as REDACTED, and a REDACTED sent back keeps the stored value.
 */
export class ChannelSecrets {
  readonly #notifiers: readonly PluginDescriptor[]

  constructor(plugins: readonly PluginDescriptor[]) {
    this.#notifiers = plugins.filter((p) => p.kind === 'notifier')
  }

  /** The secret places of a channel type's config (short or package name); undefined when it has none or is unknown. */
  tree(type: unknown): SecretTree | undefined {
    const desc = this.#notifiers.find((d) => d.shortName === type || d.name === type)
    return desc === undefined ? undefined : secretTree(desc.manifest.configSchema)
  }

  /** A channel as the API shows it. */
  redactChannel<T>(channel: T): T {
    if (!isChannel(channel)) return channel
    return { ...channel, config: redact(channel.config, this.tree(channel.type)) }
  }

  /** The secret values of some channels (to scrub them from error messages that quote values). */
  values(channels: readonly unknown[]): string[] {
    return channels.flatMap((c) => (isChannel(c) ? secretValues(c.config, this.tree(c.type)) : []))
  }

  /** A config document as the API shows it: every channel redacted. */
  redactDocument<T>(document: T): T {
    const withUrls = redactConnectionSecrets(document)
    const channels = (withUrls as VedetteConfigInput | undefined)?.channels
    if (!Array.isArray(channels)) return withUrls
    return { ...withUrls, channels: channels.map((c) => this.redactChannel(c)) }
  }

  /**
   * The values of a config diff as the API shows them. A whole channel (or
   * the list) is redacted by its own type. A part of a channel's config is
   * redacted with the types found at its index in both documents (rfc6902
   * paths index arrays, and the channel there may have changed type), or
   * with every notifier's when there is none: too much, never too little.
   */
  redactDiff(entries: readonly ConfigDiffEntry[], before: VedetteConfigInput, after: VedetteConfigInput): ConfigDiffEntry[] {
    return entries.map((e) => {
      const tokens = parsePointer(e.path)
      if (tokens[0] === 'storage' || tokens[0] === 'cluster' || tokens.length === 0) {
        const out: ConfigDiffEntry = { ...e }
        if ('from' in e) out.from = redactUrlPasswords(tokens.length === 0 ? this.redactDocument(e.from) : e.from)
        if ('to' in e) out.to = redactUrlPasswords(tokens.length === 0 ? this.redactDocument(e.to) : e.to)
        return out
      }
      if (tokens[0] !== 'channels') return e
      const out: ConfigDiffEntry = { ...e }
      if ('from' in e) out.from = this.#diffValue(e.from, tokens, before, after)
      if ('to' in e) out.to = this.#diffValue(e.to, tokens, after, before)
      return out
    })
  }

  #diffValue(value: unknown, tokens: string[], doc: VedetteConfigInput, other: VedetteConfigInput): unknown {
    if (tokens.length === 1) return Array.isArray(value) ? value.map((c) => this.redactChannel(c)) : value
    if (tokens.length === 2 || isChannel(value)) return this.redactChannel(value)
    // Deeper than a channel: redact the part of its config with the types found at that index.
    if (tokens[2] !== 'config') return value
    const index = Number(tokens[1])
    const types = [doc.channels?.[index]?.type, other.channels?.[index]?.type].filter((t) => t !== undefined)
    const candidates = types.length > 0 ? types : this.#notifiers.map((d) => d.shortName)
    let tree: SecretTree | undefined
    for (const type of candidates) tree = mergeSecretTrees(tree, secretSubtree(this.tree(type), tokens.slice(3)))
    return redact(value, tree)
  }

  /**
   * A channel about to be written, with REDACTED values replaced by what is
   * stored for the same channel id and type. `pointer` is where the channel
   * sits in the document, for the error.
   *
   * @throws VDT_ERR_CONFIG_INVALID when REDACTED is sent where nothing is stored.
   */
  restoreChannel<T>(incoming: T, stored: ChannelInput | undefined, pointer: string): T {
    if (!isChannel(incoming)) return incoming
    const kept = stored !== undefined && stored.type === incoming.type ? stored.config : undefined
    const { value, missing } = restoreRedacted(incoming.config, kept, this.tree(incoming.type), `${pointer}/config`)
    if (missing.length > 0) {
      const details = missing.map((p) => ({ pointer: p, message: `is ${REDACTED}, which keeps the stored secret, but this channel has none stored: send the real value` }))
      throw new ConfigInvalidError('the channel', details.map((d) => `${d.pointer}: ${d.message}`).join('\n'), { details })
    }
    return { ...incoming, config: value }
  }

  /** A whole document's channels restored against the current document (PUT /config of a document read from GET /config). */
  restoreDocument<T>(incoming: T, current: VedetteConfigInput): T {
    const document = restoreConnectionSecrets(incoming, current)
    const channels = (document as VedetteConfigInput | undefined)?.channels
    if (!Array.isArray(channels)) return document
    const stored = new Map((current.channels ?? []).map((c) => [c.id, c]))
    return { ...document, channels: channels.map((c, i) => this.restoreChannel(c, isChannel(c) ? stored.get(String(c.id)) : undefined, `/channels/${i}`)) }
  }
}

function isChannel(value: unknown): value is { id?: unknown; type: unknown; config: Record<string, unknown> } {
  if (value === null || typeof value !== 'object') return false
  const config = (value as { config?: unknown }).config
  return config !== null && typeof config === 'object' && !Array.isArray(config)
}
