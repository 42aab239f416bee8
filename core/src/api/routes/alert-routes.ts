import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Alert, AlertQuery } from '../../alerts/alert-types.js'
import { AlertNotFoundError } from '../../alerts/errors.js'
import { INSTANT_PATTERN, parseInstant } from '../../alerts/silences.js'
import type { ApiContext } from '../register-api.js'
import { author } from '../author.js'
import { errorResponses, pageQuery } from '../schemas/route-schemas.js'
import { alertListItem, alertOut, alertQuery, instantSchema } from '../schemas/alert-schemas.js'
import { AlertSnoozeInvalidError } from './alert-errors.js'

const TENANT = 'default'

/** The bodies of acknowledge and resolve are optional: an empty request is `{}`. */
const optionalBody = async (request: FastifyRequest): Promise<void> => {
  request.body ??= {}
}

const alertParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'Alert id' } }
} as const

/**
 * `/alerts`: the alert instances — list, one with its history, acknowledge
 * (optionally snoozed) and resolve by hand. Alerts live in the storage
 * plugin, shared by every node; the open ones are also in memory, fresher.
 */
export function alertRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  const alerting = engine.alerting

  app.get<{ Querystring: AlertQuery }>(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first, filtered; a page may hold fewer than limit: follow nextCursor until it is absent',
        querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery, ...alertQuery } },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: alertListItem }, nextCursor: { type: 'string' } } },
          ...errorResponses(400, 401, 403)
        }
      }
    },
    async (request) => {
      const page = await alerting.store.list(TENANT, { ...request.query, limit: request.query.limit ?? 100 })
      // Histories grow with every reminder; the listing leaves them to GET /alerts/{id}.
      return { ...page, items: page.items.map(({ history: _history, ...rest }) => rest) }
    }
  )

  app.get<{ Params: { id: string } }>(
    '/alerts/:id',
    { schema: { tags: ['alerts'], summary: 'One alert with its whole history', params: alertParams, response: { 200: alertOut, ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const { id } = request.params
      const alert: Alert | undefined = alerting.engine.openAlerts().find((a) => a.tenantId === TENANT && a.id === id) ?? (await alerting.store.get(TENANT, id))
      if (alert === undefined) throw new AlertNotFoundError(id)
      return alert
    }
  )

  app.put<{ Params: { id: string }; Body: { note?: string; snoozeUntil?: string | number } }>(
    '/alerts/:id/acknowledge',
    {
      preValidation: optionalBody,
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an open alert: reminders and escalation stop (until snoozeUntil, when given); 409 when it is resolved',
        params: alertParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            note: { type: 'string', maxLength: 2000, description: 'Shown in the alert history and the acknowledged notice.' },
            snoozeUntil: instantSchema('Fire again then unless resolved; must be in the future.', INSTANT_PATTERN)
          }
        },
        response: { 200: alertOut, ...errorResponses(400, 401, 403, 404, 409) }
      }
    },
    async (request) => {
      const { note, snoozeUntil } = request.body
      let until: number | undefined
      if (snoozeUntil !== undefined) {
        until = parseInstant(snoozeUntil)
        if (until === undefined || until <= Date.now()) throw new AlertSnoozeInvalidError(JSON.stringify(snoozeUntil))
      }
      return alerting.acknowledge(TENANT, request.params.id, author(request), note, until)
    }
  )

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    '/alerts/:id/resolve',
    {
      preValidation: optionalBody,
      schema: {
        tags: ['alerts'],
        summary: 'Resolve an open alert by hand; everyone notified of it gets the resolved notice. 409 when already resolved',
        params: alertParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', maxLength: 2000, description: 'Why; kept in the history (default "resolved by hand").' } }
        },
        response: { 200: alertOut, ...errorResponses(400, 401, 403, 404, 409) }
      }
    },
    async (request) => alerting.resolve(TENANT, request.params.id, author(request), request.body.note)
  )
}
