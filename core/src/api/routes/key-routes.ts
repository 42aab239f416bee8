import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiKeyManager, AuthenticatorInstance, Role } from '@vedette/sdk'
import type { ApiContext } from '../register-api.js'
import { errorResponses } from '../schemas/route-schemas.js'
import { AuthRequiredError, KeyNotFoundError, KeysUnavailableError } from '../api-errors.js'

/** The key manager of the first authenticator that has one: the one `/keys` and `vedette keys` manage. */
export function findKeyManager(authenticators: readonly AuthenticatorInstance[]): ApiKeyManager {
  const keys = authenticators.find((a) => a.keys !== undefined)?.keys
  if (keys === undefined) throw new KeysUnavailableError()
  return keys
}

/** `expiresAt` as the API takes it: an ISO 8601 date-time or epoch milliseconds. */
export function toEpochMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value)
}

const ROLE = { enum: ['viewer', 'editor', 'admin'], description: 'viewer reads; editor also writes monitors and config; admin also manages keys.' } as const

const apiKeyInfo = {
  type: 'object',
  description: 'A stored API key. The secret is shown once, when the key is created, and never again.',
  required: ['id', 'name', 'role', 'tenantId', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', description: 'The key id: the part of `vdt_<id>_<secret>` before the secret.' },
    name: { type: 'string' },
    role: ROLE,
    tenantId: { type: 'string' },
    createdAt: { type: 'integer', description: 'Epoch milliseconds.' },
    expiresAt: { type: 'integer', description: 'Epoch milliseconds; absent when the key does not expire.' },
    revokedAt: { type: 'integer', description: 'Epoch milliseconds; absent while the key is valid.' },
    lastUsedAt: { type: 'integer', description: 'Epoch milliseconds, to the minute: use is recorded at most once a minute.' }
  }
} as const

const keyIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 128, description: 'API key id' } }
} as const

interface CreateBody {
  name: string
  role: Role
  expiresAt?: string | number
}

/** The caller's tenant. The auth hook sets the principal on every /api route; without one, refuse rather than guess a tenant. */
function tenantOf(request: FastifyRequest): string {
  if (request.principal === undefined) throw new AuthRequiredError()
  return request.principal.tenantId
}

/**
 * `/keys`: list, create and revoke the API keys of the caller's tenant.
 * Admin only. The new key is in the response of POST, once.
 */
export function keyRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  const manager = (): ApiKeyManager => findKeyManager(engine.authenticators)

  app.get(
    '/keys',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['keys'],
        summary: "The tenant's API keys, oldest first, revoked and expired ones included; never a secret",
        response: {
          200: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: apiKeyInfo } } },
          ...errorResponses(401, 403, 404)
        }
      }
    },
    async (request) => ({ items: await manager().list(tenantOf(request)) })
  )

  app.post<{ Body: CreateBody }>(
    '/keys',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Create an API key; the response carries the key, which is not shown again',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100, description: 'What the key is for (shown in listings).' },
            role: ROLE,
            // Integer first: with type coercion on, a number must not be turned into a string by the other branch.
            expiresAt: {
              description: 'When the key stops working: an ISO 8601 date-time or epoch milliseconds, in the future. Absent: never.',
              anyOf: [
                { type: 'integer', minimum: 0 },
                { type: 'string', format: 'date-time' }
              ]
            }
          }
        },
        response: {
          201: {
            type: 'object',
            required: ['key', 'info'],
            additionalProperties: false,
            properties: {
              key: { type: 'string', pattern: '^vdt_', description: 'The key, `vdt_<id>_<secret>`. Store it now: only its hash is kept.' },
              info: apiKeyInfo
            }
          },
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async (request, reply) => {
      const { name, role, expiresAt } = request.body
      const created = await manager().create({
        tenantId: tenantOf(request),
        name,
        role,
        ...(expiresAt === undefined ? {} : { expiresAt: toEpochMs(expiresAt) })
      })
      // Keys must not sit in shared caches or browser history.
      void reply.header('cache-control', 'no-store')
      return reply.status(201).send(created)
    }
  )

  app.delete<{ Params: { id: string } }>(
    '/keys/:id',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key: refused from now on (other nodes within their cache TTL), kept in the listing',
        params: keyIdParams,
        response: { 204: { type: 'null', description: 'Revoked (or already revoked).' }, ...errorResponses(401, 403, 404) }
      }
    },
    async (request, reply) => {
      if (!(await manager().revoke(tenantOf(request), request.params.id))) throw new KeyNotFoundError(request.params.id)
      return reply.status(204).send()
    }
  )
}
