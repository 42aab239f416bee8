import { defineNotifier, deliverEach, describeBody, jsonHeaders, sendJson } from '@vedette/sdk'
import type { AnswerReading, HttpAnswer, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parsePagerDutyConfig } from './config.js'
import type { PagerDutyNotifierConfig } from './config.js'
import { buildPagerDutyEvents } from './pagerduty-event.js'
import type { PagerDutyEvent } from './pagerduty-event.js'

const USER_AGENT = 'vedette-notifier-pagerduty'

/**
 * Sends each alert of a notification as a PagerDuty Events API v2 event:
 * firing, reminder and escalation trigger, acknowledged acknowledges,
 * resolved resolves, all keyed by the alert's dedupKey.
 *
 * @example
 * const channel = await pagerDutyNotifier.create({ routingKey: process.env.PD_ROUTING_KEY! }, ctx)
 * await channel.send(notification, AbortSignal.timeout(30_000))
 */
export const pagerDutyNotifier: NotifierPlugin<PagerDutyNotifierConfig> = defineNotifier<PagerDutyNotifierConfig>({
  create(config) {
    const resolved = parsePagerDutyConfig(config)
    const { url, timeout, timeoutMs, secrets } = resolved
    const headers = jsonHeaders(USER_AGENT)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      send(notification, signal) {
        // One deadline for the whole attempt, however many alerts it carries.
        const deadline = AbortSignal.timeout(resolved.timeoutMs)
        const sendOne = (event: PagerDutyEvent) => {
          const read = (answer: HttpAnswer) => readAnswer(answer, event)
          return sendJson({ url, payload: event, dispatcher, headers, read, signal, deadline, timeout, timeoutMs, secrets })
        }
        return deliverEach(buildPagerDutyEvents(notification, resolved), sendOne, (event) => event.dedup_key)
      },
      stop: () => dispatcher.close()
    }
  }
})

/** PagerDuty answers 202 `{ status: 'success', dedup_key }`, or `{ status: 'invalid event', message, errors: [...] }`. */
function readAnswer(answer: HttpAnswer, event: PagerDutyEvent): AnswerReading {
  if (answer.status >= 200 && answer.status < 300) return { detail: `accepted ${event.event_action} for ${event.dedup_key}` }
  const { message, errors } = answer.fields
  const parts = [typeof message === 'string' ? message : describeBody(answer.text)]
  if (Array.isArray(errors)) parts.push(errors.map(String).join('; '))
  if (answer.status === 429) parts.push('too many events for this routing key, PagerDuty throttles per integration')
  return { detail: parts.filter((p) => p !== '').join(': ') }
}
