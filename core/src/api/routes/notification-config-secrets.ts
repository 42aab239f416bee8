import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { VedetteConfigInput } from '../../config/types.js'
import type { ConfigDiffEntry } from '../../config-service/config-diff.js'
import type { ApiContext } from '../register-api.js'
import type { ConfigService } from '../../config-service/config-service.js'
import type { ChannelSecrets } from './notification-secrets.js'
import { REDACTED } from './redact-secrets.js'

const PREFIX = '/api/v1'

/**
 * Channel secrets also sit in the config document that /config returns (the
 * current one, old versions and diffs). These hooks, on the API's routes,
 * redact them on the way out, and restore the placeholder on the way in, so
 * a document read from GET /config can be PUT back without wiping secrets.
 */
export function guardConfigSecrets(app: FastifyInstance, { config }: ApiContext, secrets: ChannelSecrets): void {
  // Callback-style hooks: they run on every API request, and the common case must not cost a promise.
  app.addHook('preHandler', (request, _reply, done) => {
    const route = request.routeOptions.url
    try {
      if (request.method === 'PUT' && route === `${PREFIX}/config`) {
        request.body = secrets.restoreDocument(request.body, config.current().document)
      } else if (request.method === 'POST' && route === `${PREFIX}/config/validate`) {
        request.body = restoreIfPossible(secrets, request.body, config.current().document)
      }
    } catch (err) {
      done(err as Error)
      return
    }
    done()
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const route = request.routeOptions.url ?? ''
    if (request.method !== 'GET' && SCRUBBED_ROUTES.has(route) && typeof payload === 'string' && (reply.statusCode === 400 || route === `${PREFIX}/config/validate`)) {
      done(null, scrub(payload, request.body, config, secrets))
      return
    }
    if (request.method !== 'GET' || !REDACTED_ROUTES.has(route) || reply.statusCode !== 200 || typeof payload !== 'string') {
      done(null, payload)
      return
    }
    redactPayload(request, reply, payload, route, config, secrets).then(
      (out) => done(null, out),
      (err: Error) => done(err)
    )
  })
}

// Writes whose validation messages quote offending values (`must match … (got "…")`), secrets included.
const SCRUBBED_ROUTES = new Set([
  `${PREFIX}/config`,
  `${PREFIX}/config/validate`,
  `${PREFIX}/notifications/channels`,
  `${PREFIX}/notifications/channels/:id`
])

/** The answer with every secret value of the request's and the stored channels replaced by the placeholder. */
function scrub(payload: string, body: unknown, config: ConfigService, secrets: ChannelSecrets): string {
  const sent = body !== null && typeof body === 'object' && 'channels' in body && Array.isArray(body.channels) ? body.channels : [body]
  const values = secrets.values([...sent, ...(config.alerting().channels ?? [])])
  let out = payload
  // Short values would garble the message; real secrets are longer.
  for (const value of new Set(values)) if (value.length >= 4 && value !== REDACTED) out = out.replaceAll(JSON.stringify(value).slice(1, -1), REDACTED)
  return out
}

const REDACTED_ROUTES = new Set([`${PREFIX}/config`, `${PREFIX}/config/history/:version`, `${PREFIX}/config/diff`])

/** Validation only: a placeholder with nothing stored behind it is left for the validation to judge. */
function restoreIfPossible(secrets: ChannelSecrets, body: unknown, current: VedetteConfigInput): unknown {
  try {
    return secrets.restoreDocument(body, current)
  } catch {
    return body
  }
}

async function redactPayload(request: FastifyRequest, reply: FastifyReply, payload: string, route: string, config: ConfigService, secrets: ChannelSecrets): Promise<string> {
  if (route === `${PREFIX}/config/diff`) {
    const { from, to } = request.query as { from: number; to: number }
    const [a, b] = await Promise.all([config.version(from), config.version(to)])
    return rewrite(reply, payload, (body) => {
      const d = body as { changes: ConfigDiffEntry[] }
      return { ...d, changes: secrets.redactDiff(d.changes, a.document, b.document) }
    })
  }
  return rewrite(reply, payload, (body) => {
    // JSON answers carry `{ version, document }` (or `{ info, document }`); the YAML form of GET /config is the bare document.
    if (body !== null && typeof body === 'object' && 'document' in body) return { ...body, document: secrets.redactDocument(body.document) }
    return secrets.redactDocument(body)
  })
}

function rewrite(reply: FastifyReply, payload: string, change: (body: unknown) => unknown): string {
  const type = String(reply.getHeader('content-type') ?? '')
  if (/yaml/.test(type)) return stringifyYaml(change(parseYaml(payload)))
  return JSON.stringify(change(JSON.parse(payload)))
}
