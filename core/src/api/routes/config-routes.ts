import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { ApiContext } from '../register-api.js'
import { author } from '../author.js'
import { errorResponses, pageQuery, versionOut } from '../schemas/route-schemas.js'

const documentSchema = { type: 'object', additionalProperties: true, description: 'The whole config document (see GET /api/v1/config/schema).' } as const
const applyOut = {
  type: 'object',
  required: ['version', 'applied', 'restartRequired'],
  properties: {
    version: versionOut,
    applied: { type: 'object', properties: { added: { type: 'integer' }, changed: { type: 'integer' }, removed: { type: 'integer' } } },
    restartRequired: { type: 'array', items: { type: 'string' }, description: 'Top-level settings stored now but used from the next start.' }
  }
} as const

/** `/config`: the versioned document — get, apply, validate, history, diff, rollback. Admin only for writes. */
export function configRoutes(app: FastifyInstance, { config }: ApiContext): void {
  // YAML bodies are welcome for PUT /config and POST /config/validate.
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseYaml(body as string))
    } catch (err) {
      const e = err as Error & { statusCode?: number }
      e.statusCode = 400
      done(e, undefined)
    }
  })

  app.get(
    '/config',
    {
      schema: {
        tags: ['config'],
        summary: 'The current config document, as JSON or YAML (Accept: application/yaml)',
        response: { 200: { type: 'object', properties: { version: { type: 'integer' }, document: documentSchema } }, ...errorResponses(401, 403) }
      }
    },
    async (request, reply) => {
      const { version, document } = config.current()
      if (wantsYaml(request)) {
        return reply.type('application/yaml').header('x-config-version', String(version)).serializer((p: unknown) => p as string).send(stringifyYaml(document))
      }
      return reply.header('x-config-version', String(version)).send({ version, document })
    }
  )

  app.put(
    '/config',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['config'],
        summary: 'Validate then apply a whole document atomically; only changed monitors are touched',
        body: documentSchema,
        response: { 200: applyOut, ...errorResponses(400, 401, 403, 413) }
      }
    },
    async (request) => config.apply(request.body, { author: author(request) })
  )

  app.post(
    '/config/validate',
    {
      config: { role: 'editor' },
      schema: {
        tags: ['config'],
        summary: 'Every error of a document with its JSON pointer; nothing is applied',
        body: documentSchema,
        response: {
          200: {
            type: 'object',
            required: ['valid', 'errors'],
            properties: {
              valid: { type: 'boolean' },
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['pointer', 'message'],
                  properties: { pointer: { type: 'string' }, message: { type: 'string' }, expected: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } }
                }
              }
            }
          },
          ...errorResponses(400, 401, 403)
        }
      }
    },
    async (request) => {
      const errors = config.validate(request.body)
      return { valid: errors.length === 0, errors }
    }
  )

  app.get('/config/schema', { schema: { tags: ['config'], summary: 'JSON Schema of the config document with every loaded plugin', response: { 200: { type: 'object', additionalProperties: true } } } }, async () =>
    config.schema
  )

  app.get<{ Querystring: { limit?: number; cursor?: string } }>(
    '/config/history',
    {
      schema: {
        tags: ['config'],
        summary: 'Config versions, newest first',
        querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery } },
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: versionOut }, nextCursor: { type: 'string' } } }, ...errorResponses(400, 401, 403) }
      }
    },
    async (request) => config.history(request.query.limit ?? 100, request.query.cursor)
  )

  app.get<{ Params: { version: number } }>(
    '/config/history/:version',
    {
      schema: {
        tags: ['config'],
        summary: 'One version: who, when, what, and the whole document as it was',
        params: { type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'object', properties: { info: versionOut, document: documentSchema } }, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => config.version(request.params.version)
  )

  app.get<{ Querystring: { from: number; to: number } }>(
    '/config/diff',
    {
      schema: {
        tags: ['config'],
        summary: 'Differences between two versions (monitors addressed by id)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } }
        },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'integer' },
              to: { type: 'integer' },
              changes: { type: 'array', items: { type: 'object', required: ['op', 'path'], properties: { op: { type: 'string' }, path: { type: 'string' }, from: {}, to: {} } } }
            }
          },
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async (request) => ({ from: request.query.from, to: request.query.to, changes: await config.diff(request.query.from, request.query.to) })
  )

  app.post<{ Params: { version: number } }>(
    '/config/rollback/:version',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['config'],
        summary: 'Apply an earlier version again, as a new version',
        params: { type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } },
        response: { 200: applyOut, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => config.rollback(request.params.version, author(request))
  )
}

function wantsYaml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? ''
  return /(application|text)\/(x-)?yaml/.test(accept)
}
