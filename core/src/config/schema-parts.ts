import type { JsonSchemaObject } from './config-schema.js'
import { MONITOR_ID_PATTERN } from './config-schema.js'

// Pieces of the config document's schema, shared by buildConfigSchema and the monitor schema.

/**
 * `enum` of loaded plugin names. JSON Schema forbids an empty `enum`, so with
 * no plugin of a kind loaded the value is a string that nothing matches.
 */
export function namesEnum(names: string[], description: string): JsonSchemaObject {
  return names.length > 0 ? { description, enum: names } : { description, type: 'string', not: {} }
}

export function durationRef(description: string, defaultValue?: string): JsonSchemaObject {
  // `description` beside `$ref` is allowed in both drafts (draft-07 ignores it, ajv keeps it).
  return { description, $ref: '#/$defs/duration', ...(defaultValue === undefined ? {} : { default: defaultValue }) }
}

export function threshold(description: string, defaultValue?: number): JsonSchemaObject {
  return { description, type: 'integer', minimum: 1, ...(defaultValue === undefined ? {} : { default: defaultValue }) }
}

/**
 * One monitor: what to check, how often, and how to judge it. Inlined into the
 * document schema rather than referenced: ajv calls a referenced schema as a
 * function and concatenates its errors into the caller's, which is quadratic
 * in the number of errors across 10,000 monitors.
 */
export function buildMonitorSchema(checkTypes: string[], checkRules: object[]): JsonSchemaObject {
  const known = (names: string[]): string => (names.length > 0 ? names.join(', ') : 'none')
  return {
  description: 'One monitor: what to check, how often, and how to judge it.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'type', 'config'],
  properties: {
    id: { description: 'Stable identifier, unique in the document.', type: 'string', pattern: MONITOR_ID_PATTERN },
    name: { description: 'Display name; defaults to the id.', type: 'string', minLength: 1 },
    type: namesEnum(checkTypes, `The check plugin's short name. Loaded: ${known(checkTypes)}.`),
    interval: durationRef('Run every so often (at least 1s). Exactly one of interval and cron.'),
    cron: {
      description: 'Run on a cron schedule: 5 fields, 6 with seconds first, or a macro like @daily. Exactly one of interval and cron.',
      type: 'string',
      minLength: 1
    },
    timezone: { description: 'IANA time zone of the cron schedule.', type: 'string', minLength: 1, default: 'UTC' },
    timeout: durationRef("Deadline of one run; not longer than the interval. Default: the check plugin's."),
    enabled: { description: 'Disabled monitors are kept but not run.', type: 'boolean', default: true },
    tags: {
      description: 'Free-form labels for grouping, filtering and reports.',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      default: []
    },
    failureThreshold: threshold('Overrides engine.failureThreshold for this monitor.'),
    recoveryThreshold: threshold('Overrides engine.recoveryThreshold for this monitor.'),
    retry: {
      description: 'Try again within the same run before it counts as failed; every attempt is recorded in the result (observation attempts).',
      type: 'object',
      additionalProperties: false,
      required: ['attempts'],
      properties: {
        attempts: { description: 'Total attempts, the first included (2 = one retry), at most 10.', type: 'integer', minimum: 1, maximum: 10 },
        backoff: { description: 'fixed, or exponential (the delay doubles after each attempt).', enum: ['fixed', 'exponential'], default: 'fixed' },
        delay: durationRef('Wait before the next attempt.', '1s'),
        onlyOn: {
          description: 'network: retry only failures to reach the target (dns, connect, tls, timeout); any: every down result.',
          enum: ['network', 'any'],
          default: 'network'
        }
      }
    },
    assertions: {
      description: 'Checks on the response, each a one-line string (`status in 200..299`, `json $.ok == true`, `latency.tls < 200ms warning`) or an object { source, path?, op, target?, severity?, quantifier? } / { and | or | not }. A failed critical assertion makes the run down, a warning one degraded.',
      type: 'array',
      items: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] }
    },
    labels: {
      description: 'Key/value labels (team: payments) that alert rules, silences and maintenance windows can select on.',
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 200 },
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,62}$' }
    },
    dependsOn: {
      description: "Parents of this monitor: while one of them (or of the monitors with one of these tags) is down, this monitor's alerts are suppressed and marked so; it keeps being checked, and resolutions are still sent. Transitive.",
      type: 'object',
      additionalProperties: false,
      properties: {
        monitors: { description: 'Monitor ids.', type: 'array', items: { type: 'string', pattern: MONITOR_ID_PATTERN }, uniqueItems: true },
        tags: { description: 'Every monitor with one of these tags (other than this one).', type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }
      }
    },
    config: { description: "The check plugin's own settings (see its README).", type: 'object' }
  },
  oneOf: [{ required: ['interval'] }, { required: ['cron'] }],
  ...(checkRules.length > 0 ? { allOf: checkRules } : {})
}
}
