import type { AssertionNode } from '@vedette/sdk'
import type { AlertingInput } from '../alerts/alerting-types.js'

/** A duration as written in config: `500ms`, `30s`, `5m`, `1h`, or a number of milliseconds. */
export type Duration = string | number

/** A monitor as written in YAML or sent to the API. */
export interface MonitorInput {
  id: string
  name?: string
  /** The check plugin's short name (its manifest `name`), e.g. `http`. */
  type: string
  /** Exactly one of `interval` and `cron`. */
  interval?: Duration
  cron?: string
  /** IANA zone for `cron`; UTC when left out. */
  timezone?: string
  timeout?: Duration
  enabled?: boolean
  tags?: string[]
  failureThreshold?: number
  recoveryThreshold?: number
  /** Try again within the same run before it counts as failed. */
  retry?: RetryInput
  /** Checks on the response: one-line (`status in 200..299`) or object form; see docs/assertions.md. */
  assertions?: Array<string | Record<string, unknown>>
  /** Key/value labels (`team: payments`) that alert rules, silences and maintenance windows select on. */
  labels?: Record<string, string>
  /** While one of these monitors (or of the monitors with these tags) is down, this monitor's alerts are suppressed. */
  dependsOn?: { monitors?: string[]; tags?: string[] }
  /** The check plugin's own config, validated against its configSchema. */
  config: Record<string, unknown>
}

export interface RetryInput {
  /** Total attempts, the first included (2 = one retry). */
  attempts: number
  /** Default `fixed`; `exponential` doubles the delay after each attempt. */
  backoff?: 'fixed' | 'exponential'
  /** Default 1s. */
  delay?: Duration
  /** Default `network`: retry only failures to reach the target (dns, connect, tls, timeout); `any`: every down result. */
  onlyOn?: 'network' | 'any'
}

export interface ClusterInput {
  /** The coordination plugin: `redis` / `@vedette/storage-redis`, or a path. */
  plugin: string
  config?: Record<string, unknown>
  /** This node's id; default `<hostname>-<pid>`. Must be unique among live nodes. */
  nodeId?: string
  /** Where this node's API answers, shown in GET /api/v1/cluster. */
  address?: string
  /** How often a node says it is alive; default 1s. */
  heartbeat?: Duration
  /** A node silent this long is gone and its monitors move; default 5s. */
  memberTtl?: Duration
  /** A node that gains monitors waits this long before running them, so the node that had them has stopped; default 2s. */
  handoverDelay?: Duration
}

export interface ClusterSettings {
  plugin: string
  config: Record<string, unknown>
  nodeId?: string
  address?: string
  heartbeatMs: number
  memberTtlMs: number
  handoverDelayMs: number
}

/** A plugin to load beyond the first-party ones: a package name or a path. */
export type PluginEntry = string | { name: string }

export interface EngineSettings {
  /** Worker threads for thread-isolated checks; default: number of CPUs. */
  workers?: number
  /** Concurrent checks per worker thread (they are I/O bound); default 256. */
  concurrencyPerWorker?: number
  /** Runs waiting for a worker before new ones are recorded as `unknown`/`overloaded`; default 10000. */
  maxQueue?: number
  /** Child processes for process-isolated checks; default 2. */
  processWorkers?: number
  hookTimeout?: Duration
  /** How long SIGTERM waits for in-flight checks; default 10s. */
  shutdownTimeout?: Duration
  failureThreshold?: number
  recoveryThreshold?: number
  /** Results are written in batches at least this often; default 250ms. */
  flushInterval?: Duration
}

/** The whole config document. */
export interface VedetteConfigInput extends AlertingInput {
  server?: { port?: number; host?: string; publicUrl?: string; rateLimit?: { max?: number; window?: Duration } | false }
  /** Where SQLite files and other local state live; default `./data`. */
  dataDir?: string
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  storage?: { plugin: string; config?: Record<string, unknown> }
  /** Cluster mode: several nodes share the storage and coordinate through this plugin. */
  cluster?: ClusterInput
  plugins?: PluginEntry[]
  engine?: EngineSettings
  auth?: AuthSettings
  monitors?: MonitorInput[]
}

/** Who may call the REST API. */
export interface AuthSettings {
  /** Default true. false turns authentication off entirely (a warning is logged at every start). */
  enabled?: boolean
  /** Auth plugins tried in order; default `[{ plugin: '@vedette/auth-apikey' }]`. */
  plugins?: Array<{ plugin: string; config?: Record<string, unknown> }>
  /** Default true: `/metrics` answers without credentials (Prometheus scrapers rarely carry keys). */
  publicMetrics?: boolean
}

/** A monitor with every default applied and every duration in ms. */
export interface Monitor {
  tenantId: string
  id: string
  name: string
  type: string
  schedule: { kind: 'interval'; everyMs: number } | { kind: 'cron'; expression: string; timezone: string }
  timeoutMs: number | undefined
  enabled: boolean
  tags: string[]
  failureThreshold: number
  recoveryThreshold: number
  retry?: { attempts: number; backoff: 'fixed' | 'exponential'; delayMs: number; onlyOn: 'network' | 'any' }
  /** Parsed assertion trees. */
  assertions?: AssertionNode[]
  labels?: Record<string, string>
  dependsOn?: { monitors: string[]; tags: string[] }
  config: Record<string, unknown>
}

/** The document after validation and defaults. */
export interface VedetteConfig {
  server: { port: number; host: string; publicUrl?: string; rateLimit: { max: number; windowMs: number } | false }
  dataDir: string
  logLevel: NonNullable<VedetteConfigInput['logLevel']>
  storage: { plugin: string; config: Record<string, unknown> }
  cluster?: ClusterSettings
  plugins: string[]
  engine: {
    workers: number
    concurrencyPerWorker: number
    maxQueue: number
    processWorkers: number
    hookTimeoutMs: number
    shutdownTimeoutMs: number
    failureThreshold: number
    recoveryThreshold: number
    flushIntervalMs: number
  }
  auth: { enabled: boolean; plugins: Array<{ plugin: string; config: Record<string, unknown> }>; publicMetrics: boolean }
  monitors: Monitor[]
  /** Channels, users and alert rules as written; the alerting service normalises them. */
  alerting?: AlertingInput
}
