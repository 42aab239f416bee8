import type { JsonSchema } from '@vedette/sdk'
import { embedPluginSchema, MONITOR_ID_PATTERN } from '../config/config-schema.js'
import type { JsonSchemaObject } from '../config/config-schema.js'
import { TIME_OF_DAY_PATTERN, WEEKDAYS } from './maintenance-windows.js'
import { INSTANT_PATTERN } from './silences.js'

/** What the schema needs to know about an alert rule kind (built-in or from a plugin). */
export interface RuleKindSchemaInfo {
  kind: string
  /** JSON Schema of the kind's own fields, besides the common ones (id, kind, severity, monitors...). */
  schema: JsonSchema
}

/** A loaded notifier plugin: its short name, and optionally its package name and config schema. */
export type NotifierSchemaInfo = string | { type: string; package?: string; configSchema?: JsonSchema }

export const SEVERITIES = ['critical', 'warning', 'info'] as const

/** Fields every rule has, whatever its kind; a kind's schema may not redefine them. */
export const RULE_COMMON_FIELDS = ['id', 'kind', 'severity', 'monitors', 'channels', 'escalation', 'reminderEvery', 'template', 'enabled'] as const

/**
 * JSON Schemas of the config document's top-level `channels`, `users` and
 * `alerts`, for a set of rule kinds and notifier plugins. Like
 * buildConfigSchema they are closed (`additionalProperties: false`) and use
 * keywords both draft-07 and 2020-12 define. Durations are
 * `{ $ref: '#/$defs/duration' }`, so embed them in a root schema whose
 * `$defs.duration` is the duration schema (buildConfigSchema's is).
 *
 * A rule's own parameters are checked by an `if kind = X then …` branch per
 * kind: the common fields plus the kind's schema, closed when the kind's
 * schema is (`additionalProperties: false`).
 *
 * @throws VDT_ERR_CONFIG_PLUGIN_SCHEMA when a notifier's configSchema is not valid JSON Schema.
 * @example
 * const { channels, users, alerts } = alertingSchemas(
 *   [{ kind: 'consecutive', schema: { type: 'object', properties: { failures: { type: 'integer' } }, additionalProperties: false } }],
 *   ['webhook', { type: 'email', package: '@vedette/notifier-email', configSchema: emailSchema }]
 * )
 */
export function alertingSchemas(
  ruleKinds: readonly RuleKindSchemaInfo[],
  notifierTypes: readonly NotifierSchemaInfo[]
): { channels: JsonSchemaObject; users: JsonSchemaObject; alerts: JsonSchemaObject } {
  const notifiers = notifierTypes.map((n) => (typeof n === 'string' ? { type: n } : n))
  const notifierNames = [...new Set(notifiers.flatMap((n) => (n.package === undefined ? [n.type] : [n.type, n.package])))]
  const kinds = [...new Set(ruleKinds.map((k) => k.kind))]

  const notifierRules = notifiers.flatMap((n) => {
    const schema = embedPluginSchema(n.package ?? n.type, n.configSchema)
    if (schema === undefined) return []
    const names = [...new Set([n.type, ...(n.package === undefined ? [] : [n.package])])]
    return [{ if: { properties: { type: { enum: names } }, required: ['type'] }, then: { properties: { config: schema } } }]
  })
  const channel: JsonSchemaObject = {
    description: 'A configured instance of a notifier plugin: where notifications go.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'config'],
    properties: {
      id: id('Stable identifier of the channel, unique among channels.'),
      type: namesEnum(notifierNames, `The notifier plugin's short name or package name. Loaded: ${known(notifierNames)}.`),
      config: { description: "The notifier plugin's own settings (see its README).", type: 'object' },
      template: template("Overrides the notifier's default message template."),
      fallback: { description: 'Channel id alerted when this channel keeps failing (see delivery.failuresBeforeFallback).', type: 'string', minLength: 1 },
      delivery: delivery('Overrides alerts.delivery for this channel.'),
      enabled: { description: 'Disabled channels are kept but sent nothing.', type: 'boolean', default: true }
    },
    ...(notifierRules.length > 0 ? { allOf: notifierRules } : {})
  }

  const user: JsonSchemaObject = {
    description: 'A person who can be notified, directly or by escalation policies.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'contacts'],
    properties: {
      id: id('Stable identifier of the user, unique among users.'),
      name: { description: 'Display name.', type: 'string', minLength: 1 },
      contacts: { ...ids('Channel ids that reach this person (an email channel with their address, a Telegram chat...).'), minItems: 1 },
      preferences: {
        description: 'What this person wants to receive, and when.',
        type: 'object',
        additionalProperties: false,
        properties: {
          severities: {
            description: 'Severities this person wants; default all.',
            type: 'array',
            items: { enum: [...SEVERITIES] },
            uniqueItems: true,
            minItems: 1
          },
          channels: { ...ids('Of their contacts, which to use; default all.'), minItems: 1 },
          quietHours: {
            description: 'Between start and end (may cross midnight, in timezone) this person gets only critical notifications; the others skip them (the rest of the escalation step still goes out).',
            type: 'object',
            additionalProperties: false,
            required: ['start', 'end'],
            properties: {
              start: timeOfDay('Local time the quiet hours begin, HH:MM.'),
              end: timeOfDay('Local time they end, HH:MM (exclusive).'),
              timezone: { description: 'IANA time zone of start and end.', type: 'string', minLength: 1, default: 'UTC' }
            }
          }
        }
      }
    }
  }

  const commonRuleFields: Record<(typeof RULE_COMMON_FIELDS)[number], JsonSchemaObject> = {
    id: id('Stable identifier of the rule, unique among rules.'),
    kind: namesEnum(kinds, `What the rule watches. Loaded kinds: ${known(kinds)}.`),
    severity: { description: 'How bad it is when the rule fires.', enum: [...SEVERITIES], default: 'critical' },
    monitors: selector('Monitors the rule applies to; every monitor when left out.'),
    channels: ids('Channel ids notified; default alerts.defaults.channels.'),
    escalation: { description: 'An escalation policy id: its steps replace channels for firing notices.', type: 'string', minLength: 1 },
    reminderEvery: durationRef('Notify again this often while firing and not acknowledged; default alerts.defaults.reminderEvery, else never.'),
    template: template("Overrides the channels' message template for this rule."),
    enabled: { description: 'Disabled rules are kept but never fire.', type: 'boolean', default: true }
  }
  const rule: JsonSchemaObject = {
    description: "An alert rule: when to fire for which monitors and whom to tell. Besides the common fields it takes its kind's parameters.",
    type: 'object',
    required: ['id', 'kind'],
    properties: commonRuleFields,
    // JSON Schema wants allOf non-empty: with no kind loaded, the kind enum already refuses every rule.
    ...(ruleKinds.length === 0
      ? {}
      : {
          allOf: ruleKinds.map((k) => ({
            if: { properties: { kind: { const: k.kind } }, required: ['kind'] },
            then: kindBranch(k, Object.keys(commonRuleFields))
          }))
        })
  }

  const silence: JsonSchemaObject = {
    description: 'Mutes notifications for the matching monitors between two times (alerts are still recorded).',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'monitors', 'endsAt'],
    properties: {
      id: id('Stable identifier of the silence, unique among silences.'),
      monitors: selector('Monitors silenced; {} silences every monitor.'),
      startsAt: instant('When it starts; default: when it is added.'),
      endsAt: instant('When it ends.'),
      expireOnResolve: { description: 'End the silence as soon as every alert it matched has resolved.', type: 'boolean', default: false },
      comment: { description: 'Why: shown with the alerts it mutes.', type: 'string' },
      createdBy: { description: 'Who added it.', type: 'string' }
    }
  }

  const maintenance: JsonSchemaObject = {
    description:
      'A maintenance window: once (startsAt + endsAt), or recurring (cron + duration, or weekdays + time + duration, in timezone).',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'monitors', 'mode'],
    properties: {
      id: id('Stable identifier of the window, unique among maintenance windows.'),
      monitors: selector('Monitors in maintenance; {} covers every monitor.'),
      mode: { description: 'suppress: keep checking, send no alerts; pause: stop checking.', enum: ['suppress', 'pause'] },
      startsAt: instant('Start of a one-off window.'),
      endsAt: instant('End of a one-off window.'),
      cron: { description: 'A recurring window starts at each occurrence (5 fields, 6 with seconds first, or a macro).', type: 'string', minLength: 1 },
      weekdays: {
        description: 'A recurring window starts on these days at time (alternative to cron).',
        type: 'array',
        items: { enum: [...WEEKDAYS] },
        uniqueItems: true,
        minItems: 1
      },
      time: timeOfDay('Local start time on each of weekdays, HH:MM.'),
      duration: durationRef('How long each recurring opening lasts (elapsed time).'),
      timezone: { description: 'IANA time zone of cron or weekdays + time.', type: 'string', minLength: 1, default: 'UTC' },
      comment: { description: 'Why: shown on the status of the monitors it covers.', type: 'string' }
    }
  }

  const escalationPolicy: JsonSchemaObject = {
    description: 'Who is told when, while an alert stays firing and unacknowledged.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'steps'],
    properties: {
      id: id('Stable identifier of the policy, unique among escalation policies.'),
      steps: {
        description: 'Notified in order, each at its after.',
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['after'],
          properties: {
            after: durationRef('Time since the alert started firing (0 for the first step); steps must not go back in time.'),
            channels: ids('Channel ids notified at this step.'),
            users: ids("User ids notified at this step (through their contacts and preferences).")
          }
        }
      },
      repeat: {
        description: 'After the last step: true starts again from the first, a number does so that many times; false stops.',
        anyOf: [{ type: 'boolean' }, { type: 'integer', minimum: 1 }],
        default: false
      }
    }
  }

  const alerts: JsonSchemaObject = {
    description: 'Alert rules, silences, maintenance windows, escalation policies and delivery settings.',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: { description: 'When to alert.', type: 'array', items: rule, default: [] },
      silences: { description: 'Temporary mutes.', type: 'array', items: silence, default: [] },
      maintenance: { description: 'Planned maintenance windows.', type: 'array', items: maintenance, default: [] },
      escalationPolicies: { description: 'Escalation policies rules may name.', type: 'array', items: escalationPolicy, default: [] },
      defaults: {
        description: 'Applied to rules that leave these out.',
        type: 'object',
        additionalProperties: false,
        properties: {
          channels: ids('Channels of rules without channels.'),
          reminderEvery: durationRef('Reminder interval of rules without reminderEvery.'),
          escalation: { description: 'Escalation policy of rules with neither channels nor escalation.', type: 'string', minLength: 1 }
        }
      },
      groupWindow: durationRef('Notifications to one channel within this window are sent as one grouped message; 0 turns grouping off.', '3s'),
      delivery: delivery('How notifications are delivered: timeouts and retries.')
    }
  }

  return {
    channels: { description: 'Notification channels.', type: 'array', items: channel, default: [] },
    users: { description: 'People to notify.', type: 'array', items: user, default: [] },
    alerts
  }
}

/**
 * The `then` of one rule kind: the kind's schema (without its
 * additionalProperties, which would refuse the common fields) plus the
 * names it and the common fields declare, closed as the kind's schema is.
 */
function kindBranch(k: RuleKindSchemaInfo, common: readonly string[]): JsonSchema {
  if (typeof k.schema === 'boolean') return k.schema ? {} : false
  const copy = structuredClone(k.schema)
  delete copy.$schema
  const { additionalProperties, patternProperties } = copy
  delete copy.additionalProperties
  // A kind schema with local $refs keeps resolving them against itself once nested.
  if (copy.$id === undefined && JSON.stringify(copy).includes('"$ref":"#')) copy.$id = `https://vedette.dev/schemas/rule-kinds/${encodeURIComponent(k.kind)}.json`
  const names = [...common, ...keysOf(copy.properties)]
  return {
    allOf: [copy],
    properties: Object.fromEntries(names.map((n) => [n, true])),
    ...(patternProperties === undefined ? {} : { patternProperties: Object.fromEntries(keysOf(patternProperties).map((p) => [p, true])) }),
    ...(additionalProperties === undefined ? {} : { additionalProperties })
  }
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value) : []
}

function id(description: string): JsonSchemaObject {
  return { description, type: 'string', pattern: MONITOR_ID_PATTERN }
}

function ids(description: string): JsonSchemaObject {
  return { description, type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true }
}

function durationRef(description: string, defaultValue?: string): JsonSchemaObject {
  return { description, $ref: '#/$defs/duration', ...(defaultValue === undefined ? {} : { default: defaultValue }) }
}

function instant(description: string): JsonSchemaObject {
  return {
    description: `${description} An ISO time with an offset (2025-06-01T22:00:00Z) or epoch milliseconds.`,
    anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: INSTANT_PATTERN }]
  }
}

function timeOfDay(description: string): JsonSchemaObject {
  return { description, type: 'string', pattern: TIME_OF_DAY_PATTERN }
}

function selector(description: string): JsonSchemaObject {
  return {
    description: `${description} Every given criterion must match.`,
    type: 'object',
    additionalProperties: false,
    properties: {
      ids: { ...ids('Monitors with one of these ids.'), minItems: 1 },
      tags: { ...ids('Monitors with any of these tags.'), minItems: 1 },
      labels: { description: 'Monitors with every one of these labels (key: value).', type: 'object', additionalProperties: { type: 'string' } }
    }
  }
}

function template(description: string): JsonSchemaObject {
  return {
    description: `${description} Placeholders like {{monitor.name}} and {{alert.status}} (docs/alerts.md).`,
    type: 'object',
    additionalProperties: false,
    properties: {
      title: { description: 'One line: subject, heading or push title.', type: 'string' },
      text: { description: 'Plain-text body.', type: 'string' },
      html: { description: 'HTML body, for channels that show it (email).', type: 'string' }
    }
  }
}

function delivery(description: string): JsonSchemaObject {
  return {
    description,
    type: 'object',
    additionalProperties: false,
    properties: {
      timeout: durationRef('Deadline of one delivery attempt.', '10s'),
      maxAttempts: { description: 'Attempts before the notification is dead-lettered.', type: 'integer', minimum: 1, default: 8 },
      backoff: durationRef('Delay before the first retry, doubled each attempt with ±20 % jitter.', '2s'),
      maxBackoff: durationRef('Longest delay between retries.', '5m'),
      failuresBeforeFallback: { description: 'Consecutive failed attempts before the fallback channel is alerted.', type: 'integer', minimum: 1, default: 3 }
    }
  }
}

/** JSON Schema forbids an empty enum: with no name loaded the value is a string nothing matches. */
function namesEnum(names: string[], description: string): JsonSchemaObject {
  return names.length > 0 ? { description, enum: names } : { description, type: 'string', not: {} }
}

function known(names: string[]): string {
  return names.length > 0 ? names.join(', ') : 'none'
}

export { alertingProblems } from './alerting-problems.js'
