import { Ajv } from 'ajv'
import { buildMonitorSchema, durationRef, namesEnum, threshold } from './schema-parts.js'
import { alertingSchemas } from '../alerts/alerting-schema.js'
import type { NotifierSchemaInfo, RuleKindSchemaInfo } from '../alerts/alerting-schema.js'
import { BUILTIN_RULE_KINDS } from '../alerts/rule-kinds/builtin-rules.js'
import type { JsonSchema } from '@vedette/sdk'
import { DURATION_PATTERN } from './duration.js'
import { PluginConfigSchemaError } from './errors.js'

/** A JSON Schema object (the `true`/`false` forms are not used for the document). */
export type JsonSchemaObject = Exclude<JsonSchema, boolean>

/** What the schema needs to know about a loaded check plugin. */
export interface CheckSchemaInfo {
  /** Short name used as monitor `type`, e.g. `http`. */
  type: string
  /** Package name, e.g. `@vedette/check-http`. */
  package: string
  /** Schema of a monitor's `config` block for this type. */
  configSchema?: JsonSchema
  /** The plugin's default run timeout; lets `normalizeConfig` fill `timeoutMs`. */
  defaultTimeoutMs?: number
  /** Observations it declares: assertions may read only these (and latency). */
  observations?: Record<string, string>
  /** Raw response parts it can give assertions (body, headers). */
  assertionContext?: readonly string[]
}

/** What the schema needs to know about a loaded storage plugin. */
export interface StorageSchemaInfo {
  package: string
  /** Short name, e.g. `sqlite`; `storage.plugin` may use either. */
  name: string
  configSchema?: JsonSchema
}

export interface PluginSchemaInfo {
  checks: CheckSchemaInfo[]
  storages: StorageSchemaInfo[]
  /** Notifier plugins channels may use; none when left out. */
  notifiers?: NotifierSchemaInfo[]
  /** Alert rule kinds; the built-in ones when left out. */
  ruleKinds?: RuleKindSchemaInfo[]
  /** The coordination plugin named by `cluster.plugin`, when there is one. */
  cluster?: StorageSchemaInfo
}

export const CONFIG_SCHEMA_ID = 'https://vedette.dev/schemas/config.json'
/** Monitor ids appear in URLs, metric labels and file names, hence the narrow alphabet. */
export const MONITOR_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

// Which plugins a built schema describes: config validation checks assertions against them.
const schemaPlugins = new WeakMap<object, PluginSchemaInfo>()

/** The plugin facts a schema from buildConfigSchema was built for. */
export function pluginsOfSchema(schema: object): PluginSchemaInfo | undefined {
  return schemaPlugins.get(schema)
}

// Only used to check plugin schemas against the meta-schema, never to compile.
const metaAjv = new Ajv({ strict: false })

/**
 * Builds the JSON Schema of the whole config document (`VedetteConfigInput`)
 * for a set of loaded plugins: core settings are closed (`additionalProperties:
 * false`), each monitor's `config` is checked against its check plugin's schema
 * and `storage.config` against the storage plugin's. The result is plain
 * draft-07-compatible JSON Schema (it also feeds the OpenAPI spec), so it only
 * uses keywords both draft-07 and 2020-12 define, plus `$defs`.
 *
 * @throws VDT_ERR_CONFIG_PLUGIN_SCHEMA when a plugin's configSchema is not valid JSON Schema.
 * @example
 * const schema = buildConfigSchema({
 *   checks: [{ type: 'http', package: '@vedette/check-http', configSchema: { type: 'object' } }],
 *   storages: [{ package: '@vedette/storage-sqlite', name: 'sqlite' }]
 * })
 */
export function buildConfigSchema(plugins: PluginSchemaInfo): JsonSchemaObject {
  // Deduplicated: a repeated value in `enum` makes the schema itself invalid.
  const checkTypes = [...new Set(plugins.checks.map((c) => c.type))]
  const storageNames = [...new Set(plugins.storages.flatMap((s) => [s.package, s.name]))]
  const known = (names: string[]): string => (names.length > 0 ? names.join(', ') : 'none')

  const checkRules = plugins.checks.flatMap((check) => {
    const schema = embedPluginSchema(check.package, check.configSchema)
    if (schema === undefined) return []
    return [{ if: { properties: { type: { const: check.type } }, required: ['type'] }, then: { properties: { config: schema } } }]
  })
  const storageRules = plugins.storages.flatMap((storage) => {
    const schema = embedPluginSchema(storage.package, storage.configSchema)
    if (schema === undefined) return []
    return [
      {
        if: { properties: { plugin: { enum: [...new Set([storage.package, storage.name])] } }, required: ['plugin'] },
        then: { properties: { config: schema } }
      }
    ]
  })

  const monitorSchema = buildMonitorSchema(checkTypes, checkRules)

  const schema: JsonSchemaObject = {
    $id: CONFIG_SCHEMA_ID,
    title: 'Vedette config',
    description: 'The Vedette config document (YAML or JSON). Reference: docs/config.md.',
    type: 'object',
    additionalProperties: false,
    properties: {
      server: {
        description: 'The HTTP server (REST API, metrics, health).',
        type: 'object',
        additionalProperties: false,
        properties: {
          port: { description: 'TCP port to listen on; 0 picks a free one.', type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
          publicUrl: { description: 'The URL people reach this engine at (https://vedette.example.com); links in notifications start with it.', type: 'string', pattern: '^https?://[^\s]+$' },
          host: { description: 'Address to bind; use 0.0.0.0 to listen on every interface.', type: 'string', minLength: 1, default: '127.0.0.1' },
          rateLimit: {
            description: 'Requests each API key (or client address, before auth) may make per window; false turns it off. Over it: 429 with retry-after.',
            oneOf: [
              { const: false },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  max: { description: 'Requests per window.', type: 'integer', minimum: 1, default: 600000 },
                  window: durationRef('The window.', '1m')
                }
              }
            ]
          }
        }
      },
      dataDir: {
        description: 'Directory for SQLite files and other local state, relative to the config file.',
        type: 'string',
        minLength: 1,
        default: './data'
      },
      logLevel: { description: 'Lowest log level written.', enum: [...LOG_LEVELS], default: 'info' },
      storage: {
        description: 'Where results, state and history are kept.',
        type: 'object',
        additionalProperties: false,
        required: ['plugin'],
        properties: {
          plugin: {
            ...namesEnum(storageNames, `Storage plugin, by package name or short name. Loaded: ${known(storageNames)}.`),
            default: '@vedette/storage-sqlite'
          },
          config: { description: "The storage plugin's own settings (see its README).", type: 'object', default: {} }
        },
        ...(storageRules.length > 0 ? { allOf: storageRules } : {})
      },
      cluster: clusterSchema(plugins.cluster),
      plugins: {
        description: 'Plugins to load beyond the first-party ones, by package name or path.',
        type: 'array',
        items: { $ref: '#/$defs/pluginEntry' },
        default: []
      },
      engine: {
        description: 'Engine tuning; the defaults suit a few thousand monitors on one node.',
        type: 'object',
        additionalProperties: false,
        properties: {
          workers: { description: 'Worker threads for thread-isolated checks; default: the number of CPUs.', type: 'integer', minimum: 1 },
          concurrencyPerWorker: { description: 'Checks one worker thread runs at once (they are I/O bound).', type: 'integer', minimum: 1, default: 256 },
          maxQueue: { description: 'Runs that may wait for a worker; beyond it runs are recorded as overloaded.', type: 'integer', minimum: 1, default: 10000 },
          processWorkers: { description: 'Child processes for process-isolated checks.', type: 'integer', minimum: 1, default: 2 },
          hookTimeout: durationRef('How long one plugin hook handler may run.', '5s'),
          shutdownTimeout: durationRef('How long shutdown waits for in-flight checks.', '10s'),
          failureThreshold: threshold('Consecutive failed runs before a monitor is down; monitors may override it.', 2),
          recoveryThreshold: threshold('Consecutive good runs before a down monitor is up again; monitors may override it.', 1),
          flushInterval: durationRef('Results are written to storage in batches at least this often.', '250ms')
        }
      },
      auth: {
        description: 'Who may call the REST API. Every /api/v1 route needs credentials unless enabled is false.',
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { description: 'false turns authentication off entirely; a warning is logged at every start.', type: 'boolean', default: true },
          plugins: {
            description: 'Auth plugins tried in order, by package name or path.',
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['plugin'],
              properties: {
                plugin: { description: 'Auth plugin package name or path.', type: 'string', minLength: 1 },
                config: { description: "The auth plugin's own settings (see its README).", type: 'object', default: {} }
              }
            },
            default: [{ plugin: '@vedette/auth-apikey' }]
          },
          publicMetrics: { description: '/metrics answers without credentials.', type: 'boolean', default: true }
        }
      },
      monitors: { description: 'What to check.', type: 'array', items: monitorSchema, default: [] },
      ...alertingSchemas(plugins.ruleKinds ?? builtinRuleKindSchemas(), plugins.notifiers ?? [])
    },
    $defs: {
      duration: {
        description: 'A duration: a number with a unit (500ms, 30s, 5m, 1h, 1d) or an integer number of milliseconds.',
        oneOf: [
          { type: 'integer', minimum: 0 },
          { type: 'string', pattern: DURATION_PATTERN }
        ]
      },
      pluginEntry: {
        description: 'A plugin package name or path, or an object naming one.',
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['name'],
            properties: { name: { description: 'Package name or path.', type: 'string', minLength: 1 } }
          }
        ]
      }
    }
  }
  schemaPlugins.set(schema, plugins)
  return schema
}

/**
 * A copy of a plugin's schema that can live inside the document schema. Two
 * things would otherwise break once it is nested: a `$ref: '#/...'` pointing
 * into the plugin's own definitions would resolve against our root, so such a
 * schema gets an `$id` of its own; and `$schema` is dropped, because the
 * document is validated as one draft and a plugin naming one this ajv does not
 * bundle (2020-12) would otherwise fail the meta-schema check.
 */
export function embedPluginSchema(pkg: string, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (schema === undefined || schema === true) return undefined
  if (schema === false) return false
  const copy = structuredClone(schema)
  delete copy.$schema
  let valid: boolean
  try {
    valid = metaAjv.validateSchema(copy) as boolean
  } catch (err) {
    throw new PluginConfigSchemaError(pkg, (err as Error).message, { cause: err })
  }
  if (!valid) throw new PluginConfigSchemaError(pkg, metaAjv.errorsText(metaAjv.errors, { dataVar: 'configSchema' }))
  if (copy.$id === undefined && hasLocalRef(copy)) {
    copy.$id = `https://vedette.dev/schemas/plugins/${encodeURIComponent(pkg)}/config.json`
  }
  return copy
}

function hasLocalRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasLocalRef)
  if (value === null || typeof value !== 'object') return false
  return Object.entries(value).some(([k, v]) => (k === '$ref' && typeof v === 'string' && v.startsWith('#')) || hasLocalRef(v))
}

/** The schemas of the rule kinds the engine ships. */
export function builtinRuleKindSchemas(): RuleKindSchemaInfo[] {
  return BUILTIN_RULE_KINDS.map((k) => ({ kind: k.kind, schema: k.paramsSchema }))
}

/** `cluster`: the coordination plugin and the membership timings. */
function clusterSchema(cluster: StorageSchemaInfo | undefined): JsonSchemaObject {
  const config = cluster === undefined ? undefined : embedPluginSchema(cluster.package, cluster.configSchema)
  return {
    description: 'Cluster mode: several identical nodes share the storage (PostgreSQL) and coordinate through this plugin (Redis). Each monitor runs on one live node. Leave out for a single node.',
    type: 'object',
    additionalProperties: false,
    required: ['plugin'],
    properties: {
      plugin: { description: 'Coordination plugin by package name or short name (redis).', type: 'string', minLength: 1 },
      config: config ?? { description: "The coordination plugin's own settings (see its README).", type: 'object', default: {} },
      nodeId: { description: 'This node\'s id, unique among live nodes; default <hostname>-<pid>.', type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
      address: { description: 'Where this node\'s API answers, shown in GET /api/v1/cluster.', type: 'string', minLength: 1 },
      heartbeat: { $ref: '#/$defs/duration', description: 'How often a node says it is alive; default 1s.' },
      memberTtl: { $ref: '#/$defs/duration', description: 'A node silent this long is gone and its monitors move to the others; default 5s.' },
      handoverDelay: { $ref: '#/$defs/duration', description: 'A node that gains monitors waits this long before running them, so the node that had them has stopped; default 2s.' }
    }
  }
}
