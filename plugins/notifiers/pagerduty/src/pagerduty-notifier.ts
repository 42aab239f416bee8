import { defineNotifier } from '@vedette/sdk'
import type { DeliveryReport, Notification, NotifierInstance, NotifierPlugin } from '@vedette/sdk'
import { Agent } from 'undici'
import { parsePagerDutyConfig } from './config.js'
import type { PagerDutyNotifierConfig } from './config.js'
import { deliverEach } from './deliver-each.js'
import { buildPagerDutyEvents } from './pagerduty-event.js'
import type { PagerDutyEvent } from './pagerduty-event.js'
import { postJson, statusFailure } from './post-json.js'
import type { JsonAnswer } from './post-json.js'

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
  create(config): NotifierInstance {
    const resolved = parsePagerDutyConfig(config)
    // A pool per channel: `stop` closes exactly this channel's connections.
    const dispatcher = new Agent()
    return {
      async send(notification: Notification, signal: AbortSignal): Promise<DeliveryReport> {
        // One deadline for the whole attempt, however many alerts it carries.
        const deadline = AbortSignal.timeout(resolved.timeoutMs)
        const sendOne = async (event: PagerDutyEvent): Promise<DeliveryReport> => {
          const result = await postJson({
            url: resolved.url,
            body: event,
            dispatcher,
            signal,
            deadline,
            timeout: resolved.timeout,
            secrets: resolved.secrets
          })
          if (result.failure !== undefined) return result.failure
          const { answer } = result
          if (answer.status >= 200 && answer.status < 300) {
            return { ok: true, status: answer.status, message: `PagerDuty accepted ${event.event_action} for ${event.dedup_key}` }
          }
          return statusFailure('PagerDuty', answer, explain(answer), resolved.secrets)
        }
        return deliverEach(buildPagerDutyEvents(notification, resolved), sendOne, (event) => event.dedup_key)
      },
      async stop(): Promise<void> {
        await dispatcher.close()
      }
    }
  }
})

/** PagerDuty's error body: `{ status: 'invalid event', message, errors: [...] }`. */
function explain(answer: JsonAnswer): string {
  const body = answer.json !== null && typeof answer.json === 'object' ? (answer.json as Record<string, unknown>) : {}
  const parts: string[] = []
  if (typeof body.message === 'string') parts.push(body.message)
  else if (answer.text.trim() !== '') parts.push(answer.text.trim().slice(0, 200))
  if (Array.isArray(body.errors)) parts.push(body.errors.map(String).join('; '))
  if (answer.status === 429) parts.push('too many events for this routing key, PagerDuty throttles per integration')
  return parts.join(': ')
}
