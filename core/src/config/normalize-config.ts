import { normalizeAssertions } from '@vedette/sdk'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { parseDuration } from './duration.js'
import type { Monitor, MonitorInput, VedetteConfig, VedetteConfigInput } from './types.js'
import type { AlertingInput } from '../alerts/alerting-types.js'

/** Every default the config reference (docs/config.md) promises, in one place. */
export const CONFIG_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  logLevel: 'info',
  storagePlugin: '@vedette/storage-sqlite',
  tenantId: 'default',
  timezone: 'UTC',
  concurrencyPerWorker: 256,
  maxQueue: 10_000,
  processWorkers: 2,
  hookTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
  failureThreshold: 2,
  recoveryThreshold: 1,
  flushIntervalMs: 250
} as const

export interface NormalizeOptions {
  /** Directory relative paths (`dataDir`) are resolved against: the config file's. */
  baseDir: string
  /**
   * Default run timeout in ms per check type. A monitor without `timeout`
   * gets its plugin's default, cut to its interval; without an entry here
   * `timeoutMs` stays undefined and the engine applies the plugin's default.
   */
  checkTimeouts?: Readonly<Record<string, number>>
  /** Loaded storage plugins; when given, a short `storage.plugin` (`sqlite`) becomes its package name. */
  storages?: ReadonlyArray<{ package: string; name: string }>
}

/**
 * Applies every default and converts durations to milliseconds. The input
 * must already have passed `validateConfig`; the result shares no objects
 * with it, so later edits of one never show in the other.
 *
 * @example
 * const config = normalizeConfig(input, { baseDir: dirname(configPath) })
 * config.monitors[0]?.schedule // { kind: 'interval', everyMs: 30000 }
 */
export function normalizeConfig(input: VedetteConfigInput, opts: NormalizeOptions): VedetteConfig {
  if (typeof opts?.baseDir !== 'string' || opts.baseDir === '') {
    throw new TypeError('normalizeConfig: opts.baseDir must be a non-empty path')
  }
  const d = CONFIG_DEFAULTS
  const e = input.engine ?? {}
  const engine: VedetteConfig['engine'] = {
    workers: e.workers ?? availableParallelism(),
    concurrencyPerWorker: e.concurrencyPerWorker ?? d.concurrencyPerWorker,
    maxQueue: e.maxQueue ?? d.maxQueue,
    processWorkers: e.processWorkers ?? d.processWorkers,
    hookTimeoutMs: e.hookTimeout === undefined ? d.hookTimeoutMs : parseDuration(e.hookTimeout, '/engine/hookTimeout'),
    shutdownTimeoutMs:
      e.shutdownTimeout === undefined ? d.shutdownTimeoutMs : parseDuration(e.shutdownTimeout, '/engine/shutdownTimeout'),
    failureThreshold: e.failureThreshold ?? d.failureThreshold,
    recoveryThreshold: e.recoveryThreshold ?? d.recoveryThreshold,
    flushIntervalMs: e.flushInterval === undefined ? d.flushIntervalMs : parseDuration(e.flushInterval, '/engine/flushInterval')
  }
  const storagePlugin = input.storage?.plugin ?? d.storagePlugin
  return {
    server: {
      port: input.server?.port ?? d.port,
      host: input.server?.host ?? d.host,
      ...(input.server?.publicUrl === undefined ? {} : { publicUrl: input.server.publicUrl }),
      rateLimit:
        input.server?.rateLimit === false
          ? false
          : {
              max: input.server?.rateLimit?.max ?? DEFAULT_RATE_LIMIT.max,
              windowMs: input.server?.rateLimit?.window === undefined ? DEFAULT_RATE_LIMIT.windowMs : parseDuration(input.server.rateLimit.window, '/server/rateLimit/window')
            }
    },
    dataDir: resolve(opts.baseDir, input.dataDir ?? d.dataDir),
    logLevel: input.logLevel ?? d.logLevel,
    storage: {
      plugin: opts.storages?.find((s) => s.name === storagePlugin)?.package ?? storagePlugin,
      config: structuredClone(input.storage?.config ?? {})
    },
    plugins: [...new Set((input.plugins ?? []).map((p) => (typeof p === 'string' ? p : p.name)))],
    engine,
    auth: {
      enabled: input.auth?.enabled ?? true,
      plugins: (input.auth?.plugins ?? [{ plugin: DEFAULT_AUTH_PLUGIN }]).map((p) => ({ plugin: p.plugin, config: structuredClone(p.config ?? {}) })),
      publicMetrics: input.auth?.publicMetrics ?? true
    },
    monitors: (input.monitors ?? []).map((m, i) => normalizeMonitor(m, `/monitors/${i}`, engine, opts.checkTimeouts)),
    alerting: alertingPart(input),
    ...(input.cluster === undefined
      ? {}
      : {
          cluster: {
            plugin: input.cluster.plugin,
            config: structuredClone(input.cluster.config ?? {}),
            ...(input.cluster.nodeId === undefined ? {} : { nodeId: input.cluster.nodeId }),
            ...(input.cluster.address === undefined ? {} : { address: input.cluster.address }),
            heartbeatMs: input.cluster.heartbeat === undefined ? 1000 : parseDuration(input.cluster.heartbeat, '/cluster/heartbeat'),
            memberTtlMs: input.cluster.memberTtl === undefined ? 5000 : parseDuration(input.cluster.memberTtl, '/cluster/memberTtl'),
            handoverDelayMs: input.cluster.handoverDelay === undefined ? 2000 : parseDuration(input.cluster.handoverDelay, '/cluster/handoverDelay')
          }
        })
  }
}

/** Per key: 10,000 requests/s on average over a minute — a cap against runaway clients, not a quota. */
export const DEFAULT_RATE_LIMIT = { max: 600_000, windowMs: 60_000 }

/** Authentication is on by default, with API keys. */
export const DEFAULT_AUTH_PLUGIN = '@vedette/auth-apikey'

/** One monitor with every default applied (the REST API adds and replaces monitors one at a time). */
export function normalizeMonitorInput(m: MonitorInput, engine: VedetteConfig['engine'], checkTimeouts?: NormalizeOptions['checkTimeouts']): Monitor {
  return normalizeMonitor(m, '', engine, checkTimeouts)
}

function normalizeMonitor(
  m: MonitorInput,
  at: string,
  engine: VedetteConfig['engine'],
  checkTimeouts: NormalizeOptions['checkTimeouts']
): Monitor {
  const schedule: Monitor['schedule'] =
    m.cron !== undefined
      ? { kind: 'cron', expression: m.cron.trim(), timezone: canonicalZone(m.timezone ?? CONFIG_DEFAULTS.timezone) }
      : { kind: 'interval', everyMs: parseDuration(m.interval ?? Number.NaN, `${at}/interval`) }
  let timeoutMs = m.timeout === undefined ? undefined : parseDuration(m.timeout, `${at}/timeout`)
  const pluginDefault = checkTimeouts?.[m.type]
  if (timeoutMs === undefined && pluginDefault !== undefined) {
    // An explicit timeout longer than the interval is a config error; a plugin
    // default longer than it is nobody's mistake, so it is cut to fit.
    timeoutMs = schedule.kind === 'interval' ? Math.min(pluginDefault, schedule.everyMs) : pluginDefault
  }
  return {
    tenantId: CONFIG_DEFAULTS.tenantId,
    id: m.id,
    name: m.name ?? m.id,
    type: m.type,
    schedule,
    timeoutMs,
    enabled: m.enabled ?? true,
    tags: [...(m.tags ?? [])],
    failureThreshold: m.failureThreshold ?? engine.failureThreshold,
    recoveryThreshold: m.recoveryThreshold ?? engine.recoveryThreshold,
    ...(m.retry === undefined || m.retry.attempts <= 1
      ? {}
      : {
          retry: {
            attempts: m.retry.attempts,
            backoff: m.retry.backoff ?? 'fixed',
            delayMs: m.retry.delay === undefined ? 1000 : parseDuration(m.retry.delay, `${at}/retry/delay`),
            onlyOn: m.retry.onlyOn ?? 'network'
          }
        }),
    ...(m.assertions === undefined || m.assertions.length === 0 ? {} : { assertions: normalizeAssertions(m.assertions) }),
    ...(m.labels === undefined ? {} : { labels: { ...m.labels } }),
    ...(m.dependsOn === undefined ? {} : { dependsOn: { monitors: [...(m.dependsOn.monitors ?? [])], tags: [...(m.dependsOn.tags ?? [])] } }),
    config: structuredClone(m.config ?? {})
  }
}

/** `europe/paris` → `Europe/Paris`, so equal zones compare equal in diffs and storage. */
function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone
}

/** The alerting keys of a document, copied (the alerting service normalises them). */
export function alertingPart(input: VedetteConfigInput): AlertingInput {
  return structuredClone({
    ...(input.channels === undefined ? {} : { channels: input.channels }),
    ...(input.users === undefined ? {} : { users: input.users }),
    ...(input.alerts === undefined ? {} : { alerts: input.alerts })
  })
}
