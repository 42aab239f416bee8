import type { Logger } from '@vedette/sdk'
import { ConfigInvalidError } from '../config/errors.js'
import { buildConfigSchema } from '../config/config-schema.js'
import type { JsonSchemaObject, PluginSchemaInfo } from '../config/config-schema.js'
import type { ConfigError } from '../config/config-error.js'
import { formatConfigErrors } from '../config/config-error.js'
import { alertingPart, normalizeConfig, normalizeMonitorInput } from '../config/normalize-config.js'
import type { Monitor, MonitorInput, VedetteConfigInput } from '../config/types.js'
import type { AlertingInput } from '../alerts/alerting-types.js'
import { validateConfig } from '../config/validate-config.js'
import { MonitorNotFoundError } from '../errors.js'
import { ConflictError, VersionNotFoundError } from '../api/api-errors.js'
import type { Engine } from '../engine/engine.js'
import { diffConfigs, summarizeDiff } from './config-diff.js'
import { startVersion } from './start-version.js'
import type { ConfigDiffEntry } from './config-diff.js'
import { applyChanges, ConfigVersions } from './config-versions.js'
import type { ConfigVersionInfo, MonitorChange } from './config-versions.js'
import { mergePatch } from './merge-patch.js'

export interface ConfigServiceOptions {
  engine: Engine
  plugins: PluginSchemaInfo
  /** Directory relative paths of the document resolve against. */
  baseDir: string
  logger: Logger
}

export interface ApplyResult {
  version: ConfigVersionInfo
  /** Monitors added, changed (rescheduled or not) and removed in the engine. */
  applied: { added: number; changed: number; removed: number }
  /** Settings that were stored but take effect at the next start (server, storage, plugins, auth...). */
  restartRequired: string[]
}

const LIVE_KEYS = new Set(['monitors', 'channels', 'users', 'alerts'])

/**
 * The one versioned config document. Every change — a whole document from
 * PUT /config or the watched file, or one monitor from /monitors — is
 * validated, applied to the engine (only what changed), and stored as a new
 * version with author, time and a summary. Changes run one at a time.
 */
export class ConfigService {
  readonly #engine: Engine
  readonly #plugins: PluginSchemaInfo
  readonly #schema: JsonSchemaObject
  readonly #baseDir: string
  readonly #logger: Logger
  readonly #versions: ConfigVersions
  readonly #timeouts: Record<string, number>
  #document: VedetteConfigInput = {}
  #version: ConfigVersionInfo | undefined
  #queue: Promise<unknown> = Promise.resolve()
  #sorted: MonitorInput[] | undefined
  /** id → monitor as written; rebuilt lazily after a change (status reads must not scan 100,000 monitors). */
  #byId: Map<string, MonitorInput> | undefined

  constructor(options: ConfigServiceOptions) {
    this.#engine = options.engine
    this.#plugins = options.plugins
    this.#schema = buildConfigSchema(options.plugins)
    this.#baseDir = options.baseDir
    this.#logger = options.logger
    this.#versions = new ConfigVersions(options.engine.storage)
    // A silence with expireOnResolve ends (as a new config version) once every alert it held back has resolved.
    options.engine.alerting.onSilenceSpent((_tenantId, silenceId) => {
      void this.editAlerting((alerting) => {
        const silence = alerting.alerts?.silences?.find((s) => s.id === silenceId)
        if (silence === undefined) return `silence ${silenceId} already gone`
        silence.endsAt = Date.now()
        return `silence ${silenceId} ended: the alerts it held back resolved`
      }, 'system').catch((err: unknown) => this.#logger.warn({ err, silenceId }, 'ending a spent silence failed'))
    })
    // Cluster mode: a version stored by another node is applied here too — at once
    // when its broadcast arrives, within 5 s by polling storage when it does not.
    options.engine.onConfigChanged(() => void this.syncFromStore().catch((err: unknown) => this.#logger.error({ err }, 'applying a config version from another node failed')))
    if (options.engine.cluster !== undefined) {
      setInterval(() => {
        if (options.engine.status === 'running') void this.syncFromStore().catch((err: unknown) => this.#logger.warn({ err }, 'polling the stored config failed'))
      }, 5000).unref()
    }
    this.#timeouts = Object.fromEntries(options.plugins.checks.flatMap((c) => (c.defaultTimeoutMs === undefined ? [] : [[c.type, c.defaultTimeoutMs]])))
  }

  /** The JSON Schema of the whole document (also in the OpenAPI spec). */
  get schema(): JsonSchemaObject {
    return this.#schema
  }

  /** The alerting part (channels, users, alerts) of the current document, copied; cheap with many monitors. */
  alerting(): AlertingInput {
    return alertingPart(this.#document)
  }

  /** The current document and its version. */
  current(): { version: number; document: VedetteConfigInput } {
    return { version: this.#version?.version ?? 0, document: structuredClone(this.#document) }
  }

  /**
   * Decides the document to run at start. The file is version 1 on a fresh
   * store. Later starts keep the stored document (monitors created through
   * the API included) while the file is unchanged; an edited file becomes a
   * new version and wins. Storage must be started.
   */
  async init(fileInput: VedetteConfigInput, fileText: string, source: string): Promise<Monitor[]> {
    const { info, document } = await startVersion(this.#versions, fileInput, fileText, source, this.#logger)
    this.#version = info
    this.#document = document
    const errors = this.validate(this.#document)
    if (errors.length > 0) throw new ConfigInvalidError(`config version ${info.version}`, formatConfigErrors(errors, source), { details: errors })
    return this.#normalize(this.#document).monitors
  }

  /** Every error of a document with its JSON pointer; empty when valid. */
  validate(input: unknown): ConfigError[] {
    return validateConfig(input, this.#schema)
  }

  /** Replaces the whole document: validate, apply what changed, store a version. Nothing changes when it is invalid. */
  apply(input: unknown, meta: { author: string; summary?: string; fileHash?: string }): Promise<ApplyResult> {
    return this.#serial(async () => {
      const errors = this.validate(input)
      if (errors.length > 0) throw new ConfigInvalidError('the config', formatConfigErrors(errors, 'config'), { details: errors })
      const document = structuredClone(input) as VedetteConfigInput
      const normalized = this.#normalize(document)
      const diff = diffConfigs(this.#document, document)
      const applied = await this.#engine.applyMonitors(normalized.monitors)
      await this.#engine.alerting.apply(alertingPart(document))
      const restartRequired = [...new Set(diff.map((d) => d.path.split('/')[1] ?? '').filter((k) => k !== '' && !LIVE_KEYS.has(k)))]
      const version = await this.#commitSnapshot(document, meta.author, meta.summary ?? summarizeDiff(diff), meta.fileHash)
      return { version, applied, restartRequired }
    })
  }

  /**
   * Changes the alerting part of the document (channels, users, alerts):
   * `mutate` edits a copy and returns the version summary (or throws a coded
   * 404/409). The whole document is validated, the alerting service applies
   * it, then it is stored as a new version. Nothing changes when it is invalid.
   */
  editAlerting(mutate: (alerting: AlertingInput) => string, author: string): Promise<ConfigVersionInfo> {
    return this.#serial(async () => {
      const alerting = alertingPart(this.#document)
      const summary = mutate(alerting)
      const document: VedetteConfigInput = { ...this.#document }
      for (const key of ['channels', 'users', 'alerts'] as const) {
        if (alerting[key] === undefined) delete document[key]
        else (document as Record<string, unknown>)[key] = alerting[key]
      }
      const errors = this.validate(document)
      if (errors.length > 0) throw new ConfigInvalidError('the alerting config', formatConfigErrors(errors, 'config'), { details: errors })
      await this.#engine.alerting.apply(alerting)
      return this.#commitSnapshot(document, author, summary)
    })
  }

  /**
   * Applies the newest stored version when another node made it (cluster
   * mode): monitors and alerting change live, no new version is written.
   */
  syncFromStore(): Promise<boolean> {
    return this.#serial(async () => {
      const latest = await this.#versions.latest()
      if (latest === undefined || latest.version <= (this.#version?.version ?? 0)) return false
      const document = await this.#versions.document(latest.version)
      if (document === undefined) return false
      const normalized = this.#normalize(document)
      await this.#engine.applyMonitors(normalized.monitors)
      await this.#engine.alerting.apply(alertingPart(document))
      this.#document = document
      this.#version = latest
      this.#sorted = undefined
      this.#byId = undefined
      this.#logger.info({ version: latest.version, author: latest.author, summary: latest.summary }, 'applied a config version from another node')
      return true
    })
  }

  /** Adds a monitor; 409 when the id exists. */
  createMonitor(input: unknown, author: string): Promise<{ monitor: MonitorInput; version: ConfigVersionInfo }> {
    return this.#serial(async () => {
      const monitor = this.#validateMonitor(input)
      if (this.#exists(monitor.id)) throw new ConflictError(`monitor '${monitor.id}' already exists; PUT /monitors/${monitor.id} replaces it`)
      await this.#engine.upsertMonitor(this.#normalizeMonitor(monitor))
      const version = await this.#commitChange([{ op: 'put', id: monitor.id, monitor }], author, `added ${monitor.id}`)
      return { monitor, version }
    })
  }

  /** Replaces a monitor; 404 when there is none with that id. */
  replaceMonitor(id: string, input: unknown, author: string, summary = `changed ${id}`): Promise<{ monitor: MonitorInput; version: ConfigVersionInfo }> {
    return this.#serial(async () => {
      if (!this.#exists(id)) throw new MonitorNotFoundError(id)
      const monitor = this.#validateMonitor(input)
      if (monitor.id !== id) {
        throw new ConfigInvalidError(`monitor ${id}`, `/id: must stay '${id}' (got '${monitor.id}'); create a new monitor to change the id`, {
          details: [{ pointer: '/id', message: `must be '${id}'` }]
        })
      }
      await this.#engine.upsertMonitor(this.#normalizeMonitor(monitor))
      const version = await this.#commitChange([{ op: 'put', id, monitor }], author, summary)
      return { monitor, version }
    })
  }

  /** JSON merge patch of a monitor, validated as a whole afterwards. */
  async patchMonitor(id: string, patch: unknown, author: string): Promise<{ monitor: MonitorInput; version: ConfigVersionInfo }> {
    const current = this.monitor(id)
    return this.replaceMonitor(id, mergePatch(current, patch), author)
  }

  deleteMonitor(id: string, author: string): Promise<ConfigVersionInfo> {
    return this.#serial(async () => {
      if (!this.#exists(id)) throw new MonitorNotFoundError(id)
      await this.#engine.removeMonitor(id)
      return this.#commitChange([{ op: 'delete', id }], author, `removed ${id}`)
    })
  }

  /** A monitor as written in the document (a copy). */
  monitor(id: string): MonitorInput {
    return structuredClone(this.requireMonitor(id))
  }

  /** Throws 404 for an unknown id; returns the stored object itself, which callers must not change. */
  requireMonitor(id: string): Readonly<MonitorInput> {
    const found = this.#lookup().get(id)
    if (found === undefined) throw new MonitorNotFoundError(id)
    return found
  }

  #lookup(): Map<string, MonitorInput> {
    this.#byId ??= new Map((this.#document.monitors ?? []).map((m) => [m.id, m]))
    return this.#byId
  }

  monitors(): readonly MonitorInput[] {
    return this.#document.monitors ?? []
  }

  /** Monitors ordered by id (the API's list order), cached until the next change. */
  sortedMonitors(): readonly MonitorInput[] {
    this.#sorted ??= [...(this.#document.monitors ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return this.#sorted
  }

  history(limit: number, cursor?: string): Promise<{ items: ConfigVersionInfo[]; nextCursor?: string }> {
    return this.#versions.list(limit, cursor)
  }

  async version(version: number): Promise<{ info: ConfigVersionInfo; document: VedetteConfigInput }> {
    const [info, document] = await Promise.all([this.#versions.info(version), this.#versions.document(version)])
    if (info === undefined || document === undefined) throw new VersionNotFoundError(version)
    return { info, document }
  }

  async diff(from: number, to: number): Promise<ConfigDiffEntry[]> {
    const [a, b] = await Promise.all([this.version(from), this.version(to)])
    return diffConfigs(a.document, b.document)
  }

  async rollback(version: number, author: string): Promise<ApplyResult> {
    const { document } = await this.version(version)
    return this.apply(document, { author, summary: `rollback to version ${version}` })
  }

  #validateMonitor(input: unknown): MonitorInput {
    // The document schema knows every plugin's config schema; check the monitor as a one-monitor document.
    const errors = this.validate({ monitors: [input] }).map((e) => ({ ...e, pointer: e.pointer.replace(/^\/monitors\/0/, '') || '/' }))
    if (errors.length > 0) throw new ConfigInvalidError('the monitor', formatConfigErrors(errors, 'monitor'), { details: errors })
    return structuredClone(input) as MonitorInput
  }

  #normalizeMonitor(m: MonitorInput): Monitor {
    return normalizeMonitorInput(m, this.#engine.config.engine, this.#timeouts)
  }

  #normalize(document: VedetteConfigInput) {
    return normalizeConfig(document, { baseDir: this.#baseDir, checkTimeouts: this.#timeouts, storages: this.#plugins.storages })
  }

  #exists(id: string): boolean {
    return this.#lookup().has(id)
  }

  async #commitChange(changes: MonitorChange[], author: string, summary: string): Promise<ConfigVersionInfo> {
    // In place, not on a copy: with 100,000 monitors a copy per change would cost more than the change.
    const before = changes.map((c) => ({ id: c.id, monitor: (this.#document.monitors ?? []).find((m) => m.id === c.id) }))
    applyChanges(this.#document, changes)
    const meta: ConfigVersionInfo = { version: (this.#version?.version ?? 0) + 1, author, at: Date.now(), summary }
    try {
      await this.#versions.saveChange(meta, changes, this.#document)
    } catch (err) {
      applyChanges(this.#document, before.map((b) => (b.monitor === undefined ? { op: 'delete', id: b.id } : { op: 'put', id: b.id, monitor: b.monitor })))
      throw err
    }
    this.#version = meta
    this.#sorted = undefined
    void this.#engine.cluster?.publishConfig(meta.version)
    if (this.#byId !== undefined) {
      for (const c of changes) {
        if (c.op === 'delete') this.#byId.delete(c.id)
        else this.#byId.set(c.id, c.monitor)
      }
    }
    return meta
  }

  async #commitSnapshot(document: VedetteConfigInput, author: string, summary: string, fileHash?: string): Promise<ConfigVersionInfo> {
    const meta: ConfigVersionInfo = { version: (this.#version?.version ?? 0) + 1, author, at: Date.now(), summary, ...(fileHash ? { fileHash } : {}) }
    await this.#versions.saveSnapshot(meta, document)
    this.#document = document
    this.#sorted = undefined
    this.#byId = undefined
    this.#version = meta
    void this.#engine.cluster?.publishConfig(meta.version)
    return meta
  }

  /** Runs changes one after another, so versions never interleave. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn)
    this.#queue = run.catch(() => undefined)
    return run
  }
}

