import type { FastifyInstance } from 'fastify'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fastifyRateLimit from '@fastify/rate-limit'
import { RateLimitedError } from './api-errors.js'
import type { Engine } from '../engine/engine.js'
import type { ConfigService } from '../config-service/config-service.js'
import { ENGINE_VERSION } from '../version.js'
import { installAuth } from './auth-hook.js'
import { addSharedSchemas } from './schemas/shared-schemas.js'
import { monitorRoutes } from './routes/monitor-routes.js'
import { monitorDataRoutes } from './routes/monitor-data-routes.js'
import { pluginRoutes } from './routes/plugin-routes.js'
import { configRoutes } from './routes/config-routes.js'
import { keyRoutes } from './routes/key-routes.js'
import { heartbeatRoutes } from './routes/heartbeat-routes.js'
import { alertRoutes } from './routes/alert-routes.js'
import { alertingConfigRoutes } from './routes/alerting-config-routes.js'
import { notificationRoutes } from './routes/notification-routes.js'
import { clusterRoutes } from './routes/cluster-routes.js'
import { registerMetricsRoute } from './routes/metrics-route.js'
import './fastify-types.js'

/** What the route modules get. */
export interface ApiContext {
  engine: Engine
  config: ConfigService
}

/** A module of routes, registered under /api/v1. */
export type RouteModule = (app: FastifyInstance, ctx: ApiContext) => void

/**
 * The REST API on the engine's Fastify instance: OpenAPI 3.1 from the route
 * schemas at /openapi.json, Swagger UI at /docs, auth on every /api route,
 * and the route modules under /api/v1.
 */
export async function registerApi(app: FastifyInstance, ctx: ApiContext, modules: readonly RouteModule[] = []): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vedette API',
        version: ENGINE_VERSION,
        description: 'Monitors, status, results, uptime and the versioned config of a Vedette engine. Errors are `{ code, message, details? }`.'
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer vdt_…`' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }
        }
      },
      security: [{ bearer: [] }, { apiKey: [] }]
    },
    // Shared schemas keep their $id as the component name, so the spec reads `#/components/schemas/Monitor`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) }
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } })
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
  installAuth(app, {
    enabled: ctx.engine.config.auth.enabled,
    authenticators: ctx.engine.authenticators,
    publicMetrics: ctx.engine.config.auth.publicMetrics,
    logger: ctx.engine.logger
  })
  const limit = ctx.engine.config.server.rateLimit
  if (limit !== false) {
    await app.register(fastifyRateLimit, {
      global: true,
      // After auth (an onRequest hook), so the bucket is the API key, not the address a proxy hides.
      hook: 'preHandler',
      max: limit.max,
      timeWindow: limit.windowMs,
      allowList: (request) => !request.url.startsWith('/api/'),
      keyGenerator: (request) => (request.principal ? `key:${request.principal.tenantId}:${request.principal.id}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) => new RateLimitedError(context.max, context.after)
    })
  }
  addSharedSchemas(app, ctx.engine)
  registerMetricsRoute(app, ctx.engine)
  await app.register(
    async (api) => {
      for (const module of [monitorRoutes, monitorDataRoutes, configRoutes, pluginRoutes, keyRoutes, heartbeatRoutes, alertRoutes, alertingConfigRoutes, notificationRoutes, clusterRoutes, ...modules]) module(api, ctx)
    },
    { prefix: '/api/v1' }
  )
}
