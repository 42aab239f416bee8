import type { FastifyInstance } from 'fastify'
import ms from 'ms'
import type { CheckResult, MonitorStatus } from '@vedette/sdk'
import { createError } from '@vedette/sdk'
import type { ApiContext } from '../register-api.js'
import { RunInProgressError } from '../api-errors.js'
import { errorResponses, idParams, monitorStatusOut, pageQuery } from '../schemas/route-schemas.js'

export const InvalidWindowError = createError<[string]>('VDT_ERR_INVALID_WINDOW', "'%s' is not a window like 24h, 7d or 30d", 400)

/**
 * Runtime views and actions on one monitor: status, results, uptime, run now,
 * pause and resume. The newest result of every monitor is kept in memory, so
 * a status read costs no storage query.
 */
export function monitorDataRoutes(app: FastifyInstance, { engine, config }: ApiContext): void {
  // null: storage has no result for it yet (a monitor that never ran must not cost a query per read).
  const latest = new Map<string, CheckResult | null>()
  engine.onResult((result) => latest.set(result.monitorId, result))
  engine.onMonitorRemoved((_tenant, id) => latest.delete(id))

  app.get<{ Params: { id: string } }>(
    '/monitors/:id/status',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Status, since when, the last result (with observations) and the open incident',
        params: idParams,
        response: { 200: monitorStatusOut, ...errorResponses(401, 403, 404) }
      }
    },
    async (request) => {
      const { id } = request.params
      config.requireMonitor(id) // 404 for unknown ids
      let kept = engine.state.get('default', id)
      let lastResult = latest.get(id)
      const monitor = engine.getMonitor(id)
      if (engine.cluster !== undefined && monitor !== undefined && !engine.ownership.owns(monitor)) {
        // Another node runs it: its status comes from the cluster's live cache, its last result from the shared store.
        const live = (await engine.cluster.liveStatus('default', [id]).catch(() => new Map())).get(id)
        if (live !== undefined) kept = { status: live.status as MonitorStatus, since: live.at, reason: live.message ?? '' }
        lastResult = undefined
      }
      if (lastResult === undefined) {
        lastResult = (await engine.storage.latestResults('default', [id])).get(id) ?? null
        latest.set(id, lastResult)
      }
      const incident =
        kept?.status === 'down' || kept?.status === 'degraded'
          ? (await engine.storage.listIncidents('default', { monitorId: id, open: true, limit: 1 })).items[0]
          : undefined
      const nextRunAt = engine.nextRun(id)
      const window = engine.maintenance.activeFor('default', id)
      return {
        id,
        status: window === undefined ? (kept?.status ?? 'pending') : 'maintenance',
        ...(window === undefined ? {} : { maintenance: { id: window.id, mode: window.mode, until: window.end }, underlyingStatus: kept?.status ?? 'pending' }),
        since: kept?.since ?? 0,
        ...(kept ? { reason: kept.reason } : {}),
        ...(nextRunAt === undefined ? {} : { nextRunAt }),
        ...(lastResult !== null ? { lastResult } : {}),
        ...(incident ? { incident } : {})
      }
    }
  )

  app.get<{ Params: { id: string }; Querystring: { from?: number; to?: number; limit?: number; cursor?: string; order?: 'asc' | 'desc' } }>(
    '/monitors/:id/results',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Results in [from, to), newest first, with cursor pagination',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQuery,
            from: { type: 'integer', minimum: 0, description: 'Inclusive, epoch ms.' },
            to: { type: 'integer', minimum: 0, description: 'Exclusive, epoch ms.' },
            order: { enum: ['asc', 'desc'], default: 'desc' }
          }
        },
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: 'CheckResult#' } }, nextCursor: { type: 'string' } } },
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async (request) => {
      const { id } = request.params
      config.requireMonitor(id)
      // Results still in the write buffer would be missing from the page otherwise.
      await engine.flush()
      return engine.storage.queryResults('default', id, request.query)
    }
  )

  app.get<{ Params: { id: string }; Querystring: { window?: string } }>(
    '/monitors/:id/uptime',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Availability and latency percentiles over a window ending now (up to years: long windows are answered from rollups)',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { window: { type: 'string', default: '24h', description: 'e.g. 1h, 24h, 7d, 30d' } }
        },
        response: {
          200: {
            type: 'object',
            required: ['window', 'from', 'to', 'checks', 'ratio'],
            properties: {
              window: { type: 'string' },
              from: { type: 'integer' },
              to: { type: 'integer' },
              checks: { type: 'integer' },
              failures: { type: 'integer' },
              counts: { type: 'object', additionalProperties: { type: 'integer' } },
              ratio: { type: ['number', 'null'] },
              tier: { enum: ['raw', 'minute', 'hour', 'day'], description: 'Where the answer came from: raw results, or the finest rollup tier kept for the whole window (monthly and yearly windows are answered from rollups).' },
              latency: {
                type: ['object', 'null'],
                properties: { min: { type: 'number' }, avg: { type: 'number' }, max: { type: 'number' }, p50: { type: 'number' }, p95: { type: 'number' }, p99: { type: 'number' } }
              }
            }
          },
          ...errorResponses(400, 401, 403, 404)
        }
      }
    },
    async (request) => {
      const { id } = request.params
      config.requireMonitor(id)
      const window = request.query.window ?? '24h'
      const span = ms(window as ms.StringValue)
      if (typeof span !== 'number' || !Number.isFinite(span) || span <= 0) throw new InvalidWindowError(window)
      await engine.flush()
      const to = Date.now()
      const summary = await engine.storage.uptime('default', id, to - span, to)
      return { window, ...summary, failures: summary.counts.down + summary.counts.degraded }
    }
  )

  app.post<{ Params: { id: string } }>(
    '/monitors/:id/run',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Run the monitor now and return its result (409 while a run is going)',
        params: idParams,
        response: { 200: { $ref: 'CheckResult#' }, ...errorResponses(401, 403, 404, 409) }
      }
    },
    async (request) => {
      const { id } = request.params
      config.requireMonitor(id)
      const result = await engine.runNow(id)
      if (result === undefined) throw new RunInProgressError(id)
      return result
    }
  )

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(
      `/monitors/:id/${action}`,
      {
        schema: {
          tags: ['monitors'],
          summary: action === 'pause' ? 'Stop running the monitor (kept across restarts)' : 'Run the monitor again',
          params: idParams,
          response: { 200: monitorStatusOut, ...errorResponses(401, 403, 404) }
        }
      },
      async (request) => {
        const { id } = request.params
        config.requireMonitor(id)
        if (action === 'pause') await engine.pauseMonitor(id)
        else await engine.resumeMonitor(id)
        const kept = engine.state.get('default', id)
        return { id, status: kept?.status ?? 'pending', since: kept?.since ?? Date.now(), ...(kept ? { reason: kept.reason } : {}) }
      }
    )
  }
}
