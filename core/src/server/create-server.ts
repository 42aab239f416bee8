import Fastify, { LogController } from 'fastify'
import type { FastifyInstance, FastifyBaseLogger } from 'fastify'
import { isVedetteError } from '@vedette/sdk'
import type { Engine } from '../engine/engine.js'
import { ENGINE_VERSION } from '../version.js'
import { registerApi } from '../api/register-api.js'
import { buildValidatorFactory } from './validator-factory.js'
import type { ConfigService } from '../config-service/config-service.js'

export interface ServerOptions {
  logger: FastifyBaseLogger
  /** With a config service the REST API, OpenAPI and /docs are registered too. */
  config?: ConfigService
}

/** The error envelope every route answers with: `{ code, message, details? }`. */
export interface ErrorEnvelope {
  code: string
  message: string
  details?: unknown
}

/** Codes for errors Fastify itself raises (body parsing, limits), by status. */
const HTTP_CODES: Record<number, string> = {
  400: 'VDT_ERR_BAD_REQUEST',
  404: 'VDT_ERR_ROUTE_NOT_FOUND',
  406: 'VDT_ERR_NOT_ACCEPTABLE',
  413: 'VDT_ERR_BODY_TOO_LARGE',
  415: 'VDT_ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'VDT_ERR_RATE_LIMITED'
}

/**
 * The engine's HTTP server: `/health` (the process is alive) and `/ready` (the
 * engine runs and its storage answers) are public; the REST API registers on
 * this same instance.
 */
export async function createServer(engine: Engine, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // A self-monitor hits /health every 30 s; per-request info logs would drown the real events.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Unknown fields are errors, not silently dropped; the monitor body is a
    // oneOf discriminated by `type`, which ajv validates branch by branch.
    schemaController: { compilersFactory: { buildValidator: buildValidatorFactory() as never } }
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
          ? { code: HTTP_CODES[status] ?? 'VDT_ERR_BAD_REQUEST', message: err.message }
          : { code: 'VDT_ERR_INTERNAL', message: 'internal error' }
    void reply.status(status).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'VDT_ERR_ROUTE_NOT_FOUND', message: `Route ${request.method} ${request.url} does not exist` } satisfies ErrorEnvelope)
  })

  app.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
    version: ENGINE_VERSION,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000)
  }))

  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
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

  if (options.config !== undefined) await registerApi(app, { engine, config: options.config })
  return app
}
