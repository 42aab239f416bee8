import { Readable, pipeline } from 'node:stream'
import { createGzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import type { Engine } from '../../engine/engine.js'
import { metricsExposition } from '../../metrics/metrics-exposition.js'
import '../fastify-types.js'

/**
 * `GET /metrics` in the Prometheus text format, at the root rather than under
 * /api/v1 because that is where scrapers look. Public only when
 * `auth.publicMetrics` says so; otherwise the auth hook asks for a viewer key
 * like any read of the API. Gzipped when the scraper accepts it (Prometheus
 * always does): 100,000 monitors are ~110 MB of text and under 3 MB gzipped, and
 * zlib compresses on libuv's thread pool, off the event loop.
 *
 * @example
 * registerMetricsRoute(app, engine)
 * const res = await app.inject({ url: '/metrics' })
 */
export function registerMetricsRoute(app: FastifyInstance, engine: Engine): void {
  const exposition = metricsExposition(engine)
  app.get('/metrics', { config: engine.config.auth.publicMetrics ? { public: true } : {}, schema: { hide: true } }, async (request, reply) => {
    const body = Readable.from(await exposition.chunks(), { objectMode: false })
    void reply.type(exposition.contentType).header('vary', 'accept-encoding')
    if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(body)
    const gzip = createGzip()
    // pipeline tears both streams down when the scraper hangs up mid-response.
    pipeline(body, gzip, (err) => {
      if (err !== undefined && err !== null && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') request.log.warn({ err }, 'metrics response aborted')
    })
    return reply.header('content-encoding', 'gzip').send(gzip)
  })
}

function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';')
    if (coding?.trim().toLowerCase() !== 'gzip') return false
    // `gzip;q=0` means "not gzip" (RFC 9110 §12.5.3).
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))
  })
}
