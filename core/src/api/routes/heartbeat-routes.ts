import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PushPingKind } from '@vedette/sdk'
import type { ApiContext } from '../register-api.js'
import { errorResponses, idParams } from '../schemas/route-schemas.js'
import { PING_BODY_KEPT } from '../../heartbeats/push-monitoring.js'
import { NotPushMonitorError } from '../../heartbeats/errors.js'
import { MonitorNotFoundError } from '../../errors.js'

/** Largest ping body accepted (the first PING_BODY_KEPT bytes are kept); beyond it the ping is refused with 413. */
const PING_BODY_LIMIT = 1024 * 1024

const tokenParam = { type: 'string', pattern: '^hb_[A-Za-z0-9_-]{20,64}$', description: 'The monitor\'s secret heartbeat token.' } as const
const pingQuery = {
  type: 'object',
  properties: { rid: { type: 'string', maxLength: 64, description: 'Run id: pairs a /start with its end when runs overlap.' } }
} as const
const pingOk = { type: 'object', required: ['ok'], properties: { ok: { const: true } } } as const

interface PingRoute {
  Params: { token: string; exitCode?: number }
  Querystring: { rid?: string }
}

/**
 * Heartbeat URLs, Healthchecks-style: public (no API key — the token is the
 * credential), GET or POST, with `/start`, `/fail` and `/{exitCode}`, an
 * optional run id and the job's log as the body. The token never appears in
 * logs (request logging is off and errors do not echo it).
 */
export function heartbeatRoutes(app: FastifyInstance, { engine }: ApiContext): void {
  const ping = (kind: PushPingKind) => async (request: FastifyRequest<PingRoute>, reply: FastifyReply) => {
    const { token, exitCode } = request.params
    const body = request.body
    await engine.pushes.ping(token, {
      kind,
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(request.query.rid === undefined ? {} : { runId: request.query.rid }),
      ...(Buffer.isBuffer(body) ? { body } : typeof body === 'string' ? { body } : {}),
      remoteAddress: request.ip,
      ...(typeof request.headers['user-agent'] === 'string' ? { userAgent: request.headers['user-agent'] } : {})
    })
    reply.header('cache-control', 'no-store')
    return { ok: true as const }
  }
  const routes: Array<[string, PushPingKind, string]> = [
    ['', 'success', 'The job succeeded'],
    ['/start', 'start', 'The job started (a success or failure should follow within grace)'],
    ['/fail', 'fail', 'The job failed']
  ]
  void app.register(async (hb) => {
    // Any body is a log: text, JSON, form-encoded, binary. Kept as bytes, cut to PING_BODY_KEPT.
    hb.removeAllContentTypeParsers()
    hb.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PING_BODY_LIMIT }, (_req, body, done) => done(null, body))
    for (const [suffix, kind, summary] of routes) {
      hb.route<PingRoute>({
        method: ['GET', 'POST'],
        url: `/heartbeats/:token${suffix}`,
        config: { public: true },
        schema: {
          tags: ['heartbeats'],
          summary: `${summary}. No API key: the token is the credential. The body (up to ${PING_BODY_KEPT} bytes kept) is the job's log.`,
          security: [],
          params: { type: 'object', required: ['token'], properties: { token: tokenParam } },
          querystring: pingQuery,
          response: { 200: pingOk, ...errorResponses(400, 404, 413, 429) }
        },
        handler: ping(kind)
      })
    }
    hb.route<PingRoute>({
      method: ['GET', 'POST'],
      url: '/heartbeats/:token/:exitCode',
      config: { public: true },
      schema: {
        tags: ['heartbeats'],
        summary: 'The job ended with this exit code: 0 is a success, anything else a failure',
        security: [],
        params: {
          type: 'object',
          required: ['token', 'exitCode'],
          properties: { token: tokenParam, exitCode: { type: 'integer', minimum: 0, maximum: 255 } }
        },
        querystring: pingQuery,
        response: { 200: pingOk, ...errorResponses(400, 404, 413, 429) }
      },
      handler: ping('exit')
    })
  })

  app.get<{ Params: { id: string } }>(
    '/monitors/:id/heartbeat',
    {
      schema: {
        tags: ['heartbeats'],
        summary: "A heartbeat monitor's ping URLs (without the token, which is shown only when made) and its recent pings",
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['monitorId', 'hasToken', 'pings'],
            properties: {
              monitorId: { type: 'string' },
              hasToken: { type: 'boolean' },
              tokenCreatedAt: { type: 'integer' },
              expectedSince: { type: 'integer' },
              pings: { type: 'array', items: pingOut }
            }
          },
          ...errorResponses(401, 403, 404, 409)
        }
      }
    },
    async (request) => {
      const monitor = requirePush(engine, request.params.id)
      const [createdAt, state] = await Promise.all([engine.pushes.tokens.createdAt(monitor.tenantId, monitor.id), engine.pushes.state(monitor)])
      return {
        monitorId: monitor.id,
        hasToken: createdAt !== undefined,
        ...(createdAt === undefined ? {} : { tokenCreatedAt: createdAt }),
        expectedSince: state.since,
        pings: state.pings
      }
    }
  )

  app.post<{ Params: { id: string } }>(
    '/monitors/:id/heartbeat/token',
    {
      config: { role: 'editor' },
      schema: {
        tags: ['heartbeats'],
        summary: 'Makes a new ping token for a heartbeat monitor; the previous token stops working at once. The token is shown only in this response.',
        params: idParams,
        response: {
          201: {
            type: 'object',
            required: ['monitorId', 'token', 'pingPath', 'pingUrl'],
            properties: {
              monitorId: { type: 'string' },
              token: { type: 'string', description: 'Store it now: only its hash is kept.' },
              pingPath: { type: 'string' },
              pingUrl: { type: 'string', description: 'Append /start, /fail or /<exit code>; add ?rid=<run id> to pair starts and ends.' }
            }
          },
          ...errorResponses(401, 403, 404, 409)
        }
      }
    },
    async (request, reply) => {
      const monitor = requirePush(engine, request.params.id)
      const token = await engine.pushes.rotate(monitor.id, monitor.tenantId)
      const pingPath = `/api/v1/heartbeats/${token}`
      reply.code(201)
      return { monitorId: monitor.id, token, pingPath, pingUrl: `${request.protocol}://${request.host}${pingPath}` }
    }
  )
}

const pingOut = {
  type: 'object',
  required: ['at', 'kind'],
  properties: {
    at: { type: 'integer' },
    kind: { enum: ['success', 'start', 'fail', 'exit'] },
    exitCode: { type: 'integer' },
    runId: { type: 'string' },
    body: { type: 'string' },
    bodyTruncated: { type: 'boolean' },
    remoteAddress: { type: 'string' },
    userAgent: { type: 'string' }
  }
} as const

function requirePush(engine: ApiContext['engine'], id: string) {
  const monitor = engine.getMonitor(id)
  if (monitor === undefined) throw new MonitorNotFoundError(id)
  if (engine.checks.get(monitor.type)?.push !== true) throw new NotPushMonitorError(id, monitor.type)
  return monitor
}
