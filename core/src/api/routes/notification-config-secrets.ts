import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import type { VedetteConfigInput } from '../../config/types.js'
import type { ConfigDiffEntry } from '../../config-service/config-diff.js'
import type { ApiContext } from '../register-api.js'
import type { ChannelSecrets } from './notification-secrets.js'

const PREFIX = '/api/v1'

/**
 * Channel secrets also sit in the config document that /config returns (the
 * current one, old versions and diffs). These hooks, on the API's routes,
 * redact them on the way out, and restore the placeholder on the way in, so
 * a document read from GET /config can be PUT back without wiping secrets.
 */
export function guardConfigSecrets(app: FastifyInstance, { config }: ApiContext, secrets: ChannelSecrets): void {
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const route = request.routeOptions.url
    if (request.method === 'PUT' && route === `${PREFIX}/config`) {
      request.body = secrets.restoreDocument(request.body, config.current().document)
    } else if (request.method === 'POST' && route === `${PREFIX}/config/validate`) {
      // Validation only: a placeholder with nothing stored behind it is left for the schema to judge.
      try {
        request.body = secrets.restoreDocument(request.body, config.current().document)
      } catch {
        /* reported as it is by the validation */
      }
    }
  })

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const route = request.routeOptions.url
    if (route === `${PREFIX}/config` || route === `${PREFIX}/config/history/:version`) {
      return rewrite(reply, payload, (body) => {
        const b = body as { document?: unknown } | undefined
        // The YAML form of GET /config is the bare document.
        if (b !== undefined && b !== null && typeof b === 'object' && 'document' in b) return { ...b, document: secrets.redactDocument(b.document) }
        return secrets.redactDocument(body)
      })
    }
    if (route === `${PREFIX}/config/diff`) {
      const { from, to } = request.query as { from: number; to: number }
      const [a, b] = await Promise.all([config.version(from), config.version(to)])
      return rewrite(reply, payload, (body) => {
        const d = body as { changes: ConfigDiffEntry[] }
        return { ...d, changes: secrets.redactDiff(d.changes, a.document as VedetteConfigInput, b.document as VedetteConfigInput) }
      })
    }
    return payload
  })
}

function rewrite(reply: FastifyReply, payload: string, change: (body: unknown) => unknown): string {
  const type = String(reply.getHeader('content-type') ?? '')
  if (/yaml/.test(type)) return stringifyYaml(change(parseYaml(payload)))
  return JSON.stringify(change(JSON.parse(payload)))
}
