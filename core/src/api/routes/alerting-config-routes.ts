import type { FastifyInstance } from 'fastify'
import type { ApiContext } from '../register-api.js'
import { alertingResourceSchemas, RESOURCE_COMPONENTS } from '../schemas/alerting-resource-schemas.js'
import { alertingCrud } from './alerting-crud.js'

/** Registers the OpenAPI components of the alerting resources once per API instance. */
export function addAlertingResourceSchemas(app: FastifyInstance, { config }: ApiContext): void {
  if (app.getSchema(RESOURCE_COMPONENTS.rule) !== undefined) return
  for (const schema of Object.values(alertingResourceSchemas(config.schema))) app.addSchema(schema)
}

/**
 * `/alerts/rules`, `/alerts/silences`, `/alerts/maintenance` and
 * `/alerts/escalation-policies`: each a list of the config document's
 * `alerts` part, edited one item at a time. Every write is validated with
 * the whole document, applied live and stored as a new config version.
 */
export function alertingConfigRoutes(app: FastifyInstance, ctx: ApiContext): void {
  addAlertingResourceSchemas(app, ctx)
  alertingCrud(app, ctx, { path: '/alerts/rules', tag: 'alerts', kind: 'rule', noun: 'alert rule', key: 'rule', at: ['alerts', 'rules'] })
  alertingCrud(app, ctx, {
    path: '/alerts/silences',
    tag: 'alerts',
    kind: 'silence',
    noun: 'silence',
    key: 'silence',
    at: ['alerts', 'silences'],
    // Who muted the alerts is what people ask first; a silence without an author gets the caller's name.
    prepare: (body, stored, _pointer, request) =>
      body.createdBy !== undefined ? body : { ...body, createdBy: stored?.createdBy ?? request.principal?.name ?? 'unknown' }
  })
  alertingCrud(app, ctx, { path: '/alerts/maintenance', tag: 'alerts', kind: 'maintenance', noun: 'maintenance window', key: 'maintenance', at: ['alerts', 'maintenance'] })
  alertingCrud(app, ctx, {
    path: '/alerts/escalation-policies',
    tag: 'alerts',
    kind: 'policy',
    noun: 'escalation policy',
    key: 'policy',
    at: ['alerts', 'escalationPolicies']
  })
}
