import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify'
import { Ajv } from 'ajv'
import type { AlertingInput } from '../../alerts/alerting-types.js'
import { AlertingResourceExistsError, AlertingResourceNotFoundError } from '../../alerts/errors.js'
import { ConfigInvalidError } from '../../config/errors.js'
import { MONITOR_ID_PATTERN } from '../../config/config-schema.js'
import type { ApiContext } from '../register-api.js'
import { author } from '../author.js'
import { errorResponses, versionOut } from '../schemas/route-schemas.js'
import { RESOURCE_COMPONENTS } from '../schemas/alerting-resource-schemas.js'
import type { ResourceKind } from '../schemas/alerting-resource-schemas.js'

/** An item of one of the alerting lists: rules, silences, channels... */
export type Resource = Record<string, unknown> & { id?: unknown }

/** One list of the alerting config the API edits with list / create / get / replace / delete. */
export interface ResourceSpec {
  /** The collection's URL under /api/v1. */
  path: string
  tag: 'alerts' | 'notifications'
  kind: ResourceKind
  /** For messages and version summaries: `alert rule`. */
  noun: string
  /** The resource's key in write responses: `{ rule, version }`. */
  key: string
  /** Where the list is in the document: `['alerts', 'rules']`. */
  at: readonly ['channels' | 'users'] | readonly ['alerts', 'rules' | 'silences' | 'maintenance' | 'escalationPolicies']
  /** How the API shows an item (secrets redacted). */
  present?(item: Resource): Resource
  /** The item to store from a body: `stored` is the item it replaces; `pointer` is where it goes in the document. */
  prepare?(body: Resource, stored: Resource | undefined, pointer: string, request: FastifyRequest): Resource
}

// Bodies are validated with the whole document by editAlerting (pointers,
// references between lists, the secret placeholder), so a route's own check
// of the body is only "a JSON object"; its full schema is documentation.
// Params and queries are text and need coercion, like the server's own ajv.
const textAjv = new Ajv({ coerceTypes: 'array', useDefaults: false, removeAdditional: false, allErrors: true, strict: false })
const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: true, strict: false })

/** A route's validator compiler that checks the body only against `shallow`. */
export function bodyCheckedBy(shallow: object): FastifySchemaCompiler<unknown> {
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv.compile(shallow) : textAjv.compile(schema as object))
}

export const resourceIdParams = (noun: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'string', pattern: MONITOR_ID_PATTERN, description: `The ${noun}'s id` } }
  }) as const

/** The list an alerting config holds at `at`, created empty when `create` is set. */
export function listAt(alerting: AlertingInput, at: ResourceSpec['at'], create: boolean): Resource[] | undefined {
  const [top, sub] = at
  if (sub === undefined) {
    const key = top as 'channels' | 'users'
    if (create) alerting[key] ??= []
    return alerting[key] as Resource[] | undefined
  }
  if (create) alerting.alerts ??= {}
  const alerts = alerting.alerts as Record<string, unknown> | undefined
  if (create && alerts !== undefined) alerts[sub] ??= []
  return alerts?.[sub] as Resource[] | undefined
}

function pointerOf(at: ResourceSpec['at']): string {
  return `/${at.join('/')}`
}

/** Registers list, create, get, replace and delete of one alerting list. Every write is a config version. */
export function alertingCrud(app: FastifyInstance, { config }: ApiContext, spec: ResourceSpec): void {
  const ref = { $ref: `${RESOURCE_COMPONENTS[spec.kind]}#` }
  const present = (item: Resource): Resource => spec.present?.(item) ?? item
  const current = (): Resource[] => listAt(config.alerting(), spec.at, false) ?? []
  const params = resourceIdParams(spec.noun)
  const written = {
    type: 'object',
    required: [spec.key, 'version'],
    properties: { [spec.key]: ref, version: versionOut }
  }
  const tags = [spec.tag]
  const base = pointerOf(spec.at)

  app.get(
    spec.path,
    {
      schema: {
        tags,
        summary: `Every ${spec.noun}, in config order`,
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref } } }, ...errorResponses(401, 403) }
      }
    },
    async () => ({ items: current().map(present) })
  )

  app.post<{ Body: Resource }>(
    spec.path,
    {
      validatorCompiler: bodyCheckedBy({ type: 'object' }),
      schema: {
        tags,
        summary: `Create ${article(spec.noun)} ${spec.noun} (409 when the id exists); a new config version`,
        body: ref,
        response: { 201: written, ...errorResponses(400, 401, 403, 409) }
      }
    },
    async (request, reply) => {
      let item: Resource = request.body
      const version = await config.editAlerting((alerting) => {
        const list = listAt(alerting, spec.at, true) as Resource[]
        if (typeof item.id === 'string' && list.some((r) => r.id === item.id)) throw new AlertingResourceExistsError(spec.noun, item.id)
        item = spec.prepare?.(item, undefined, `${base}/${list.length}`, request) ?? item
        list.push(item)
        return `added ${spec.noun} ${String(item.id)}`
      }, author(request))
      return reply
        .status(201)
        .header('location', `/api/v1${spec.path}/${encodeURIComponent(String(item.id))}`)
        .send({ [spec.key]: present(item), version })
    }
  )

  app.get<{ Params: { id: string } }>(
    `${spec.path}/:id`,
    { schema: { tags, summary: `One ${spec.noun}`, params, response: { 200: ref, ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const found = current().find((r) => r.id === request.params.id)
      if (found === undefined) throw new AlertingResourceNotFoundError(spec.noun, request.params.id)
      return present(found)
    }
  )

  app.put<{ Params: { id: string }; Body: Resource }>(
    `${spec.path}/:id`,
    {
      validatorCompiler: bodyCheckedBy({ type: 'object' }),
      schema: {
        tags,
        summary: `Replace ${article(spec.noun)} ${spec.noun} (404 when missing); the body's id, when given, must be the path's`,
        params,
        body: ref,
        response: { 200: written, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => {
      const { id } = request.params
      let item: Resource = { ...request.body, id: request.body.id ?? id }
      if (item.id !== id) {
        throw new ConfigInvalidError(`${spec.noun} ${id}`, `/id: must stay '${id}' (got ${JSON.stringify(item.id)}); create a new ${spec.noun} to change the id`, {
          details: [{ pointer: '/id', message: `must be '${id}'` }]
        })
      }
      const version = await config.editAlerting((alerting) => {
        const list = listAt(alerting, spec.at, false) ?? []
        const index = list.findIndex((r) => r.id === id)
        if (index < 0) throw new AlertingResourceNotFoundError(spec.noun, id)
        item = spec.prepare?.(item, list[index], `${base}/${index}`, request) ?? item
        list[index] = item
        return `changed ${spec.noun} ${id}`
      }, author(request))
      return { [spec.key]: present(item), version }
    }
  )

  app.delete<{ Params: { id: string } }>(
    `${spec.path}/:id`,
    {
      schema: {
        tags,
        summary: `Delete ${article(spec.noun)} ${spec.noun}; refused (400) while other parts of the config refer to it`,
        params,
        response: { 204: { type: 'null', description: 'Deleted; the x-config-version header has the new version.' }, ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request, reply) => {
      const { id } = request.params
      const version = await config.editAlerting((alerting) => {
        const list = listAt(alerting, spec.at, false) ?? []
        const index = list.findIndex((r) => r.id === id)
        if (index < 0) throw new AlertingResourceNotFoundError(spec.noun, id)
        list.splice(index, 1)
        return `removed ${spec.noun} ${id}`
      }, author(request))
      return reply.status(204).header('x-config-version', String(version.version)).send()
    }
  )
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a'
}
