import type { JsonSchemaObject } from '../../config/config-schema.js'

/** The alerting resources the API edits, by the component name they have in the OpenAPI spec. */
export const RESOURCE_COMPONENTS = {
  rule: 'AlertRule',
  silence: 'Silence',
  maintenance: 'MaintenanceWindow',
  policy: 'EscalationPolicy',
  channel: 'NotificationChannel',
  user: 'NotificationUser'
} as const

export type ResourceKind = keyof typeof RESOURCE_COMPONENTS

const KEEP = ['description', 'type', 'enum', 'const', 'required', 'format', 'title'] as const

/**
 * OpenAPI components for the alerting resources, derived from the config
 * document's schema so they never drift from what is validated: the shape
 * (types, enums, required fields, descriptions) without the checks
 * (patterns, bounds, per-kind branches), which stay with the document
 * validation. A rule keeps any further property (its kind's parameters), a
 * channel any `config` (its notifier's settings).
 */
export function alertingResourceSchemas(document: JsonSchemaObject): Record<ResourceKind, JsonSchemaObject> {
  const props = (s: unknown): Record<string, unknown> => ((s as { properties?: Record<string, unknown> } | undefined)?.properties ?? {})
  const itemsOf = (s: unknown): unknown => (s as { items?: unknown } | undefined)?.items
  const defs = (document.$defs ?? {}) as Record<string, unknown>
  const alerts = props(props(document).alerts)
  const source: Record<ResourceKind, unknown> = {
    rule: itemsOf(alerts.rules),
    silence: itemsOf(alerts.silences),
    maintenance: itemsOf(alerts.maintenance),
    policy: itemsOf(alerts.escalationPolicies),
    channel: itemsOf(props(document).channels),
    user: itemsOf(props(document).users)
  }
  const out = {} as Record<ResourceKind, JsonSchemaObject>
  for (const kind of Object.keys(RESOURCE_COMPONENTS) as ResourceKind[]) {
    out[kind] = { $id: RESOURCE_COMPONENTS[kind], ...shapeOf(source[kind], defs) }
  }
  out.rule.additionalProperties = true
  out.rule.description = `${String(out.rule.description ?? '')} GET /api/v1/config/schema has the parameters of each kind.`
  const channelProps = out.channel.properties as Record<string, JsonSchemaObject>
  channelProps.config = {
    type: 'object',
    additionalProperties: true,
    description: `The notifier plugin's own settings (GET /api/v1/plugins has each one's schema). Secrets (writeOnly in that schema) are returned as "********"; sending "********" back keeps the stored value.`
  }
  return out
}

function shapeOf(schema: unknown, defs: Record<string, unknown>): JsonSchemaObject {
  if (schema === null || typeof schema !== 'object') return {}
  const s = schema as Record<string, unknown>
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/')) {
    const target = shapeOf(defs[s.$ref.slice('#/$defs/'.length)], defs)
    return typeof s.description === 'string' ? { ...target, description: s.description } : target
  }
  const out: JsonSchemaObject = {}
  for (const key of KEEP) if (s[key] !== undefined) out[key] = structuredClone(s[key])
  if (s.properties !== null && typeof s.properties === 'object') {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, shapeOf(v, defs)]))
  }
  if (s.items !== undefined && !Array.isArray(s.items)) out.items = shapeOf(s.items, defs)
  if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties
  else if (s.additionalProperties !== undefined) out.additionalProperties = shapeOf(s.additionalProperties, defs)
  const branches = [...(Array.isArray(s.anyOf) ? s.anyOf : []), ...(Array.isArray(s.oneOf) ? s.oneOf : [])]
  if (branches.length > 0) out.anyOf = branches.map((b) => shapeOf(b, defs))
  return out
}
