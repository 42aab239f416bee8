import type { FastifyInstance } from 'fastify'
import type { ChannelInput } from '../../alerts/alerting-types.js'
import type { ApiContext } from '../register-api.js'
import { errorResponses } from '../schemas/route-schemas.js'
import { addAlertingResourceSchemas } from './alerting-config-routes.js'
import { alertingCrud } from './alerting-crud.js'
import { guardConfigSecrets } from './notification-config-secrets.js'
import { notificationHistoryRoutes } from './notification-history-routes.js'
import { notificationPreferenceRoutes } from './notification-preference-routes.js'
import { ChannelSecrets } from './notification-secrets.js'

/**
 * `/notifications`: channels (whose secrets never leave the API), a test
 * send, per-user preferences and the delivery history of the outbox.
 */
export function notificationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx
  const secrets = new ChannelSecrets(engine.plugins)
  addAlertingResourceSchemas(app, ctx)
  guardConfigSecrets(app, ctx, secrets)

  alertingCrud(app, ctx, {
    path: '/notifications/channels',
    tag: 'notifications',
    kind: 'channel',
    noun: 'notification channel',
    key: 'channel',
    at: ['channels'],
    present: (item) => secrets.redactChannel(item),
    prepare: (body, stored, pointer) => secrets.restoreChannel(body, stored as ChannelInput | undefined, pointer)
  })

  app.post<{ Body: { channel: string } }>(
    '/notifications/send',
    {
      config: { role: 'editor' },
      schema: {
        tags: ['notifications'],
        summary: 'Send a test notification (event `test`) through a channel now, without the outbox or retries, and report what the notifier said',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['channel'],
          properties: { channel: { type: 'string', minLength: 1, description: 'The channel id.' } }
        },
        response: {
          200: {
            type: 'object',
            required: ['ok', 'latencyMs'],
            properties: {
              ok: { type: 'boolean', description: 'The notifier reports the message delivered.' },
              status: { type: ['integer', 'string'], description: 'HTTP status or provider code, when there was one.' },
              message: { type: 'string', description: "The notifier's explanation, mostly when it failed." },
              latencyMs: { type: 'number' }
            }
          },
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async (request) => {
      const by = request.principal?.name ?? 'unknown'
      return engine.alerting.sendTest('default', request.body.channel, by)
    }
  )

  notificationPreferenceRoutes(app, ctx)
  notificationHistoryRoutes(app, ctx)
}
