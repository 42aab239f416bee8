import type { PluginKind } from './api-version.js'
import { API_VERSION, PLUGIN_KINDS } from './api-version.js'

/** JSON Schema as plain data (draft 2020-12 subset that ajv understands). */
export type JsonSchema = { [key: string]: unknown } | boolean

/** Declared type of an observation a check exposes to assertions. */
export type ObservationType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any'

/**
 * The static manifest: the `vedette` field of a plugin's package.json. The
 * engine reads and checks it before importing any plugin code.
 */
export interface PluginManifest {
  kind: PluginKind
  apiVersion: string
  /** A semver range the engine version must satisfy. */
  engine: string
  /** Short name used in config: a check's monitor `type`, a notifier's channel `type`. */
  name?: string
  /** JSON Schema of the config block that instantiates the plugin (a monitor's `config` for checks). */
  configSchema?: JsonSchema
  /** Other plugins (package names) that must be loaded for this one to work. */
  dependencies?: string[]
  /** Checks only: `thread` (default) shares a worker thread; `process` runs each task in its own child process. */
  isolation?: 'thread' | 'process'
  /** Checks only: default run timeout, e.g. `10s` or milliseconds. */
  defaultTimeout?: string | number
  /** Checks only: the observations it fills, for config-time validation of assertions. */
  observations?: Record<string, ObservationType>
  /** Checks only: raw response parts the check can hand to assertions (`header.*` needs headers; `body`, `json` need body). */
  assertionContext?: Array<'body' | 'headers'>
  /** Checks only: push-based (heartbeats): the engine gives the monitor a token URL and hands the check its pings instead of the check probing anything. */
  push?: boolean
}

/** The manifest's own schema; the plugin loader validates against it first. */
export const manifestSchema = {
  $id: 'https://vedette.dev/schemas/plugin-manifest.json',
  type: 'object',
  required: ['kind', 'apiVersion', 'engine'],
  additionalProperties: false,
  properties: {
    kind: { enum: [...PLUGIN_KINDS] },
    apiVersion: { type: 'string', pattern: '^vedette/v[0-9]+$' },
    engine: { type: 'string', minLength: 1 },
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    configSchema: { type: ['object', 'boolean'] },
    dependencies: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    isolation: { enum: ['thread', 'process'] },
    defaultTimeout: {
      oneOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h)$' }
      ]
    },
    observations: {
      type: 'object',
      additionalProperties: { enum: ['string', 'number', 'boolean', 'object', 'array', 'any'] }
    },
    assertionContext: { type: 'array', items: { enum: ['body', 'headers'] }, uniqueItems: true },
    push: { type: 'boolean' }
  },
  allOf: [
    {
      if: { properties: { kind: { const: 'check' } } },
      then: { required: ['name'] },
      else: { not: { anyOf: [{ required: ['isolation'] }, { required: ['defaultTimeout'] }, { required: ['observations'] }, { required: ['assertionContext'] }, { required: ['push'] }] } }
    }
  ]
} as const

export { API_VERSION }
