import type { FastifyInstance } from 'fastify'
import type { AlertingInput, UserInput } from '../../alerts/alerting-types.js'
import { AlertingResourceNotFoundError } from '../../alerts/errors.js'
import { ConfigInvalidError } from '../../config/errors.js'
import type { ApiContext } from '../register-api.js'
import { author } from '../author.js'
import { errorResponses, versionOut } from '../schemas/route-schemas.js'
import { RESOURCE_COMPONENTS } from '../schemas/alerting-resource-schemas.js'
import { bodyCheckedBy, resourceIdParams } from './alerting-crud.js'

const userRef = { $ref: `${RESOURCE_COMPONENTS.user}#` }
const usersOut = { type: 'object', required: ['users'], properties: { users: { type: 'array', items: userRef } } } as const
const params = {
  ...resourceIdParams('user'),
  required: ['userId'],
  properties: { userId: resourceIdParams('user').properties.id }
} as const

/**
 * `/notifications/preferences`: the people of the config's `users` list —
 * their contacts (channel ids), and which severities, channels and quiet
 * hours they want. Each change is a config version.
 */
export function notificationPreferenceRoutes(app: FastifyInstance, { config }: ApiContext): void {
  const users = (): UserInput[] => config.alerting().users ?? []

  app.get(
    '/notifications/preferences',
    { schema: { tags: ['notifications'], summary: 'Every user with contacts and preferences', response: { 200: usersOut, ...errorResponses(401, 403) } } },
    async () => ({ users: users() })
  )

  app.put<{ Body: { users: UserInput[] } }>(
    '/notifications/preferences',
    {
      validatorCompiler: bodyCheckedBy({ type: 'object', required: ['users'], properties: { users: { type: 'array' } } }),
      schema: {
        tags: ['notifications'],
        summary: 'Replace the whole list of users; refused (400) when an escalation policy names a user left out',
        body: usersOut,
        response: { 200: { ...usersOut, required: ['users', 'version'], properties: { ...usersOut.properties, version: versionOut } }, ...errorResponses(400, 401, 403) }
      }
    },
    async (request) => {
      const next = request.body.users
      const version = await config.editAlerting((alerting) => {
        alerting.users = next
        return `replaced the users (${next.length})`
      }, author(request))
      return { users: next, version }
    }
  )

  app.get<{ Params: { userId: string } }>(
    '/notifications/preferences/:userId',
    { schema: { tags: ['notifications'], summary: 'One user', params, response: { 200: userRef, ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const found = users().find((u) => u.id === request.params.userId)
      if (found === undefined) throw new AlertingResourceNotFoundError('user', request.params.userId)
      return found
    }
  )

  const written = { type: 'object', required: ['user', 'version'], properties: { user: userRef, version: versionOut } } as const
  app.put<{ Params: { userId: string }; Body: Record<string, unknown> }>(
    '/notifications/preferences/:userId',
    {
      validatorCompiler: bodyCheckedBy({ type: 'object' }),
      schema: {
        tags: ['notifications'],
        summary: "Create (201) or replace (200) one user; the body's id, when given, must be the path's",
        params,
        body: userRef,
        response: { 200: written, 201: written, ...errorResponses(400, 401, 403) }
      }
    },
    async (request, reply) => {
      const { userId } = request.params
      const user = { ...request.body, id: request.body.id ?? userId } as unknown as UserInput
      if (user.id !== userId) {
        throw new ConfigInvalidError(`user ${userId}`, `/id: must stay '${userId}' (got ${JSON.stringify(user.id)})`, {
          details: [{ pointer: '/id', message: `must be '${userId}'` }]
        })
      }
      let created = false
      const version = await config.editAlerting((alerting) => {
        const list = (alerting.users ??= [])
        const index = list.findIndex((u) => u.id === userId)
        created = index < 0
        if (created) list.push(user)
        else list[index] = user
        return `${created ? 'added' : 'changed'} user ${userId}`
      }, author(request))
      return reply.status(created ? 201 : 200).send({ user, version })
    }
  )

  app.delete<{ Params: { userId: string } }>(
    '/notifications/preferences/:userId',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Delete a user; refused (400) while an escalation policy names them',
        params,
        response: { 204: { type: 'null', description: 'Deleted; the x-config-version header has the new version.' }, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request, reply) => {
      const { userId } = request.params
      const version = await config.editAlerting((alerting) => {
        const list = alerting.users ?? []
        const index = list.findIndex((u) => u.id === userId)
        if (index < 0) throw new AlertingResourceNotFoundError('user', userId)
        list.splice(index, 1)
        return `removed user ${userId}`
      }, author(request))
      return reply.status(204).header('x-config-version', String(version.version)).send()
    }
  )
}
