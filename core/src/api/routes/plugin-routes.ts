import type { FastifyInstance } from 'fastify'
import type { ApiContext } from '../register-api.js'
import { errorResponses } from '../schemas/route-schemas.js'

/** `/plugins`: what is loaded, with each plugin's config schema. */
export function pluginRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  app.get(
    '/plugins',
    {
      schema: {
        tags: ['plugins'],
        summary: 'Loaded plugins: name, kind, version, engine range, config schema, status',
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'kind', 'version', 'engine', 'status'],
                  properties: {
                    name: { type: 'string' },
                    kind: { enum: ['check', 'notifier', 'storage', 'auth'] },
                    shortName: { type: 'string' },
                    version: { type: 'string' },
                    engine: { type: 'string' },
                    source: { enum: ['first-party', 'config'] },
                    isolation: { enum: ['thread', 'process'] },
                    configSchema: { type: ['object', 'boolean'], additionalProperties: true },
                    status: { enum: ['loaded', 'available'], description: 'loaded: in use by this engine; available: read but not used (e.g. an auth plugin while auth is off).' }
                  }
                }
              }
            }
          },
          ...errorResponses(401, 403)
        }
      }
    },
    async () => ({
      items: engine.plugins.map((p) => ({
        name: p.name,
        kind: p.kind,
        shortName: p.shortName,
        version: p.version,
        engine: p.manifest.engine,
        source: p.source,
        ...(p.kind === 'check' ? { isolation: p.manifest.isolation ?? 'thread' } : {}),
        ...(p.manifest.configSchema === undefined ? {} : { configSchema: p.manifest.configSchema }),
        status: p.kind !== 'auth' || engine.config.auth.enabled ? 'loaded' : 'available'
      }))
    })
  )
}
