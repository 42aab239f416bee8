import Fastify from 'fastify'
import type { FastifyInstance, FastifyBaseLogger } from 'fastify'
import { isVedetteError } from '@vedette/sdk'
import type { Engine } from '../engine/engine.js'
import { ENGINE_VERSION } from '../version.js'

export interface ServerOptions {
  logger: FastifyBaseLogger
}

/** The error envelope every route answers with: `{ code, message, details? }`. */
export interface ErrorEnvelope {
  code: string
  message: string
  details?: unknown
}

/**
 * The engine's HTTP server: `/health` (the process is alive) and `/ready` (the
 * engine runs and its storage answers) are public; the REST API registers on
 * this same instance.
 */
export function createServer(engine: Engine, options: ServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    // A self-monitor hits /health every 30 s; per-request info logs would drown the real events.
    disableRequestLogging: true,
    bodyLimit: 1024 * 1024
  })
  const startedAt = Date.now()

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500
    if (status >= 500) request.log.error({ err }, 'request failed')
    const body: ErrorEnvelope = isVedetteError(err)
      ? { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) }
      : err.validation
        ? { code: 'VDT_ERR_VALIDATION', message: err.message, details: err.validation }
        : status < 500
          ? { code: `VDT_ERR_HTTP_${status}`, message: err.message }
          : { code: 'VDT_ERR_INTERNAL', message: 'internal error' }
    void reply.status(status).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'VDT_ERR_ROUTE_NOT_FOUND', message: `Route ${request.method} ${request.url} does not exist` } satisfies ErrorEnvelope)
  })

  app.get('/health', async () => ({
    status: 'ok',
    version: ENGINE_VERSION,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000)
  }))

  app.get('/ready', async (_request, reply) => {
    if (engine.status !== 'running') {
      return reply.status(503).send({ code: 'VDT_ERR_NOT_READY', message: `engine is ${engine.status}` } satisfies ErrorEnvelope)
    }
    try {
      // A cheap read proves the store answers, not just that it was opened once.
      await engine.storage.monitorStates('default')
    } catch (err) {
      return reply.status(503).send({ code: 'VDT_ERR_STORAGE_UNAVAILABLE', message: `storage does not answer: ${(err as Error).message}` } satisfies ErrorEnvelope)
    }
    return { status: 'ready', monitors: engine.listMonitors().length }
  })

  return app
}
