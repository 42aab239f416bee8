import type { FastifyInstance } from 'fastify'
import { decodeCursor, encodeCursor } from '@vedette/sdk'
import type { MonitorInput } from '../../config/types.js'
import type { ApiContext } from '../register-api.js'
import { errorResponses, idParams, monitorOut, pageQuery, versionOut } from '../schemas/route-schemas.js'
import { author } from '../author.js'

interface ListQuery {
  limit?: number
  cursor?: string
  tag?: string
  type?: string
  status?: string
  q?: string
}

const mutation = (status: number) => ({
  type: 'object',
  required: ['monitor', 'version'],
  properties: { monitor: monitorOut, version: versionOut }
}) as const

/** `/monitors`: list, create, get, replace, patch, delete, and plugin config. Every change is a config version. */
export function monitorRoutes(app: FastifyInstance, { engine, config }: ApiContext): void {
  app.get<{ Querystring: ListQuery }>(
    '/monitors',
    {
      schema: {
        tags: ['monitors'],
        summary: 'List monitors, ordered by id, with filters and cursor pagination',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQuery,
            tag: { type: 'string', description: 'Only monitors with this tag.' },
            type: { type: 'string', description: 'Only monitors of this check type.' },
            status: { enum: ['pending', 'up', 'degraded', 'down', 'paused', 'maintenance'], description: 'Only monitors in this status.' },
            q: { type: 'string', description: 'Text to find in the id or name (case-insensitive).' }
          }
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: { type: 'array', items: { ...monitorOut, properties: { ...monitorOut.properties, status: { type: 'string' } } } },
              nextCursor: { type: 'string' }
            }
          },
          ...errorResponses(400, 401, 403)
        }
      }
    },
    async (request) => {
      const { cursor, tag, type, status, q } = request.query
      const limit = request.query.limit ?? 100
      const sorted = config.sortedMonitors()
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'api-monitors', ['string'])[0]
      let i = after === undefined ? 0 : upperBound(sorted, after)
      const needle = q?.toLowerCase()
      const items: Array<MonitorInput & { status: string }> = []
      for (; i < sorted.length && items.length <= limit; i++) {
        const m = sorted[i] as MonitorInput
        if (tag !== undefined && !(m.tags ?? []).includes(tag)) continue
        if (type !== undefined && m.type !== type) continue
        const kept = engine.state.get('default', m.id)?.status ?? 'pending'
        if (status !== undefined && kept !== status) continue
        if (needle !== undefined && !m.id.toLowerCase().includes(needle) && !(m.name ?? '').toLowerCase().includes(needle)) continue
        items.push({ ...m, status: kept })
      }
      const page = items.slice(0, limit)
      const last = page[page.length - 1]
      return items.length > limit && last !== undefined ? { items: page, nextCursor: encodeCursor('api-monitors', [last.id]) } : { items: page }
    }
  )

  app.post(
    '/monitors',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Create a monitor; it is scheduled at once and stored as a new config version',
        body: { $ref: 'MonitorInput#' },
        response: { 201: mutation(201), ...errorResponses(400, 401, 403, 409, 413) }
      }
    },
    async (request, reply) => {
      const out = await config.createMonitor(request.body, author(request))
      return reply.status(201).header('location', `/api/v1/monitors/${out.monitor.id}`).send(out)
    }
  )

  app.get<{ Params: { id: string } }>(
    '/monitors/:id',
    { schema: { tags: ['monitors'], summary: 'One monitor as written in the config', params: idParams, response: { 200: monitorOut, ...errorResponses(401, 403, 404) } } },
    async (request) => config.monitor(request.params.id)
  )

  app.put<{ Params: { id: string } }>(
    '/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Replace a monitor (only a changed schedule moves its slot)',
        params: idParams,
        body: { $ref: 'MonitorInput#' },
        response: { 200: mutation(200), ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => config.replaceMonitor(request.params.id, request.body, author(request))
  )

  app.patch<{ Params: { id: string } }>(
    '/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Change some fields of a monitor (JSON merge patch); the result is validated like a PUT',
        params: idParams,
        body: { type: 'object', description: 'JSON merge patch (RFC 7386): null removes a field.' },
        response: { 200: mutation(200), ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => config.patchMonitor(request.params.id, request.body, author(request))
  )

  app.delete<{ Params: { id: string } }>(
    '/monitors/:id',
    { schema: { tags: ['monitors'], summary: 'Delete a monitor and its history', params: idParams, response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await config.deleteMonitor(request.params.id, author(request))
      return reply.status(204).send()
    }
  )

  app.put<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/monitors/:id/config',
    {
      schema: {
        tags: ['monitors'],
        summary: "Replace only the check plugin's config of a monitor (validated against the plugin's schema)",
        params: idParams,
        body: { type: 'object', description: "The check plugin's config; see GET /api/v1/plugins for its schema." },
        response: { 200: mutation(200), ...errorResponses(400, 401, 403, 404) }
      }
    },
    async (request) => {
      const current = config.monitor(request.params.id)
      return config.replaceMonitor(request.params.id, { ...current, config: request.body }, author(request), `changed ${request.params.id} config`)
    }
  )
}

/** Index of the first monitor whose id sorts after `id` (ids are unique and sorted). */
function upperBound(sorted: readonly MonitorInput[], id: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as MonitorInput).id <= id) lo = mid + 1
    else hi = mid
  }
  return lo
}
