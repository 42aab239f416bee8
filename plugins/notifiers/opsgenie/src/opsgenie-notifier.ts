import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseOpsgenieConfig } from './config.js'
import type { OpsgenieNotifierConfig } from './config.js'
import { deliverEach } from './deliver-each.js'
import { buildOpsgenieRequests } from './opsgenie-request.js'
import type { OpsgenieRequest } from './opsgenie-request.js'
import { postJson, statusFailure } from './post-json.js'
import type { JsonAnswer } from './post-json.js'

/**
 * Mirrors each alert of a notification in Opsgenie through the Alert API,
 * addressed by alias = the alert's dedupKey: firing, reminder and escalation
 * create (Opsgenie deduplicates on the alias), acknowledged acknowledges,
 * resolved closes.
 *
 * @example
 * const channel = await opsgenieNotifier.create({ apiKey: process.env.OPSGENIE_API_KEY! }, ctx)
 * await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const opsgenieNotifier: NotifierPlugin<OpsgenieNotifierConfig> = defineNotifier<OpsgenieNotifierConfig>({
  create(config): NotifierInstance {
    const resolved = parseOpsgenieConfig(config)
    const headers = { authorization: `GenieKey ${resolved.apiKey}` }
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
        // One deadline for the whole attempt, however many alerts it carries.
        const deadline = AbortSignal.timeout(resolved.timeoutMs)
        const sendOne = async (req: OpsgenieRequest): Promise<DeliveryReport> => {
          const result = await postJson({
            url: new URL(resolved.base + req.path),
            headers,
            body: req.body,
            dispatcher,
            signal,
            deadline,
            timeout: resolved.timeout,
            secrets: resolved.secrets
          })
          if (result.failure !== undefined) return result.failure
          const { answer } = result
          if (answer.status >= 200 && answer.status < 300) {
            const requestId = field(answer.json, 'requestId')
            // 202 means queued: Opsgenie applies the request asynchronously (its requestId tracks it).
            return {
              ok: true,
              status: answer.status,
              message: `Opsgenie accepted ${req.action} for ${req.alias}${typeof requestId === 'string' ? ` (request ${requestId})` : ''}`
            }
          }
          return statusFailure('Opsgenie', answer, explain(answer), resolved.secrets)
        }
        return deliverEach(buildOpsgenieRequests(notification, resolved), sendOne, (req) => req.alias)
      },
      async stop(): Promise<void> {
        await dispatcher.close()
      }
    }
  }
})

/** Opsgenie's error body: `{ message, took, requestId, errors? }`. */
function explain(answer: JsonAnswer): string {
  const parts: string[] = []
  const message = field(answer.json, 'message')
  if (typeof message === 'string') parts.push(message)
  else if (answer.text.trim() !== '') parts.push(answer.text.trim().slice(0, 200))
  const errors = field(answer.json, 'errors')
  if (errors !== undefined) parts.push(JSON.stringify(errors).slice(0, 300))
  if (answer.status === 401 || answer.status === 403) parts.push('check apiKey, its integration and the region of url')
  return parts.join(': ')
}

function field(json: unknown, name: string): unknown {
  return json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[name] : undefined
}
