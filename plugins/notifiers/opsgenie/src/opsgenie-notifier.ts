import { defineNotifier, deliverEach, describeBody, jsonHeaders, sendJson } from '@vedette/sdk'
import type { AnswerReading, HttpAnswer, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parseOpsgenieConfig } from './config.js'
import type { OpsgenieNotifierConfig } from './config.js'
import { buildOpsgenieRequests } from './opsgenie-request.js'
import type { OpsgenieRequest } from './opsgenie-request.js'

const USER_AGENT = 'vedette-notifier-opsgenie'

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
  create(config) {
    const resolved = parseOpsgenieConfig(config)
    const { timeout, timeoutMs, secrets } = resolved
    const headers = jsonHeaders(USER_AGENT, { authorization: `GenieKey ${resolved.apiKey}` })
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send(notification, signal) {
        // One deadline for the whole attempt, however many alerts it carries.
        const deadline = AbortSignal.timeout(resolved.timeoutMs)
        const sendOne = (req: OpsgenieRequest) => {
          const read = (answer: HttpAnswer) => readAnswer(answer, req)
          return sendJson({ url: new URL(resolved.base + req.path), payload: req.body, dispatcher, headers, read, signal, deadline, timeout, timeoutMs, secrets })
        }
        return deliverEach(buildOpsgenieRequests(notification, resolved), sendOne, (req) => req.alias)
      },
      stop: () => dispatcher.close()
    }
  }
})

/**
 * Opsgenie answers 202 with `{ result, took, requestId }`: the request is
 * queued and applied asynchronously (its requestId tracks it). Errors are
 * `{ message, took, requestId, errors? }`.
 */
function readAnswer(answer: HttpAnswer, req: OpsgenieRequest): AnswerReading {
  const { requestId, message, errors } = answer.fields
  if (answer.status >= 200 && answer.status < 300) {
    return { detail: `accepted ${req.action} for ${req.alias}${typeof requestId === 'string' ? ` (request ${requestId})` : ''}` }
  }
  const parts = [typeof message === 'string' ? message : describeBody(answer.text)]
  if (errors !== undefined) parts.push(JSON.stringify(errors).slice(0, 300))
  if (answer.status === 401 || answer.status === 403) parts.push('check apiKey, its integration and the region of url')
  return { detail: parts.filter((p) => p !== '').join(': ') }
}
