import type { FastifyInstance } from 'fastify'
import type { OutboxQuery } from '@vedette/sdk'
import type { ApiContext } from '../register-api.js'
import { errorResponses, pageQuery } from '../schemas/route-schemas.js'
import { outboxItemOut } from '../schemas/alert-schemas.js'

/**
 * `/notifications/history`: the durable outbox as a delivery audit — every
 * notification with its state and each attempt (when, which node, status,
 * error, latency). Items hold the rendered notification, never channel
 * settings, so no secret can appear here.
 */
export function notificationHistoryRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  app.get<{ Querystring: OutboxQuery }>(
    '/notifications/history',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Notifications, newest first, with their delivery attempts; filter by state, channel, alert and time',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQuery,
            state: { enum: ['pending', 'delivered', 'dead'], description: 'pending: waiting or retrying; dead: given up.' },
            channelId: { type: 'string', description: 'Only notifications for this channel.' },
            alertId: { type: 'string', description: 'Only notifications about this alert.' },
            from: { type: 'integer', minimum: 0, description: 'Queued at or after, epoch ms.' },
            to: { type: 'integer', minimum: 0, description: 'Queued before, epoch ms.' }
          }
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: outboxItemOut }, nextCursor: { type: 'string' } } },
          ...errorResponses(400, 401, 403)
        }
      }
    },
    async (request) => engine.storage.listOutbox('default', { ...request.query, limit: request.query.limit ?? 100 })
  )
}
