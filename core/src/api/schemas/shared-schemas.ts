import type { FastifyInstance } from 'fastify'
import { buildConfigSchema, embedPluginSchema } from '../../config/config-schema.js'
import type { JsonSchemaObject } from '../../config/config-schema.js'
import type { Engine } from '../../engine/engine.js'
import { describeCatalogChecks } from './describe-checks.js'

const DURATION = {
  description: 'A duration: a number with a unit (500ms, 30s, 5m, 1h, 1d) or an integer number of milliseconds.',
  oneOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$' }]
}

export const ERROR_ENVELOPE = {
  $id: 'ErrorEnvelope',
  type: 'object',
  description: 'Every error: a stable code (docs/errors.md), a message for people, and details when there are some.',
  required: ['code', 'message'],
  properties: { code: { type: 'string', pattern: '^VDT_ERR_' }, message: { type: 'string' }, details: {} }
} as const

export const CHECK_RESULT = {
  $id: 'CheckResult',
  type: 'object',
  required: ['monitorId', 'startedAt', 'status', 'latencyMs'],
  properties: {
    monitorId: { type: 'string' },
    startedAt: { type: 'integer', description: 'Epoch milliseconds when the run started.' },
    status: { enum: ['up', 'degraded', 'down', 'unknown'] },
    latencyMs: { type: 'number' },
    message: { type: 'string' },
    reason: { type: 'string', description: 'timeout, error, crashed, overloaded... when the engine, not the check, decided.' },
    phases: { type: 'object', additionalProperties: { type: 'number' } },
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['label', 'value'],
        properties: {
          label: { type: 'string' },
          value: { type: 'number' },
          unit: { type: 'string' },
          warn: { type: 'number' },
          crit: { type: 'number' },
          min: { type: 'number' },
          max: { type: 'number' }
        }
      }
    },
    observations: { type: 'object', additionalProperties: true }
  }
} as const

export const INCIDENT = {
  $id: 'Incident',
  type: 'object',
  required: ['id', 'monitorId', 'status', 'reason', 'startedAt'],
  properties: {
    id: { type: 'string' },
    monitorId: { type: 'string' },
    status: { enum: ['degraded', 'down'] },
    reason: { type: 'string' },
    startedAt: { type: 'integer' },
    endedAt: { type: 'integer' }
  }
} as const

/**
 * The monitor body, one branch per loaded check plugin, discriminated by
 * `type`: each branch carries that plugin's own config schema, so the spec
 * (and validation) changes when a plugin is added.
 */
export function monitorInputSchema(engine: Engine): JsonSchemaObject {
  const checks = describeCatalogChecks(engine)
  const document = buildConfigSchema({ checks, storages: [] })
  const item = (document.properties as Record<string, { items: JsonSchemaObject } | undefined>).monitors?.items ?? {}
  const common = inlineDurations(structuredClone(item.properties) as Record<string, unknown>) as Record<string, JsonSchemaObject>
  const branches = checks.map((check) => ({
    title: `${check.type} monitor`,
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'config'],
    properties: {
      ...common,
      type: { const: check.type, description: `Checked by ${check.package}.` },
      config: embedPluginSchema(check.package, check.configSchema) ?? { type: 'object' }
    },
    oneOf: [{ required: ['interval'] }, { required: ['cron'] }]
  }))
  return withoutDefaults({
    $id: 'MonitorInput',
    description: 'A monitor as written in the config document; `type` picks the check plugin and the schema of `config`.',
    type: 'object',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: branches
  }) as JsonSchemaObject
}

/**
 * Fastify's ajv fills `default`s into bodies; a monitor must be stored as the
 * caller wrote it (defaults are applied when it is normalised), so the body
 * schema documents defaults in descriptions only.
 */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'default' || typeof v === 'object' && v !== null && !Array.isArray(v) && 'type' in (v as object))
      .map(([k, v]) => [k, withoutDefaults(v)])
  )
}

/** The same fields, all optional, for PATCH (JSON merge patch); validated in full after merging. */
export const MONITOR_PATCH = {
  $id: 'MonitorPatch',
  type: 'object',
  description: 'JSON merge patch (RFC 7386) of a monitor; the merged monitor is validated like a PUT.',
  additionalProperties: true
} as const

function inlineDurations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inlineDurations)
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  if (obj.$ref === '#/$defs/duration') {
    const { $ref: _ref, ...rest } = obj
    return { ...DURATION, ...rest }
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, inlineDurations(v)]))
}

/** Registers the schemas routes refer to by `$ref: 'Name#'`; they become OpenAPI components. */
export function addSharedSchemas(app: FastifyInstance, engine: Engine): void {
  app.addSchema(ERROR_ENVELOPE)
  app.addSchema(CHECK_RESULT)
  app.addSchema(INCIDENT)
  app.addSchema(monitorInputSchema(engine))
}
