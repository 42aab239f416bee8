import { request } from 'undici'
import type { Dispatcher } from 'undici'
import type { DeliveryReport } from '@vedette/sdk'
import { describeBody, reportForError, reportForStatus } from './delivery-report.js'
import { redactSecrets, redactUrl } from './redact.js'

/** One HTTP request carrying a notification. */
export interface HttpDelivery {
  url: URL
  method: 'POST' | 'PUT'
  headers: Record<string, string>
  body: string
  timeoutMs: number
  /** The `timeout` as configured, for messages. */
  timeout: string
  /** Strings that must not appear in the report (tokens, secrets, the URL's path). */
  secrets: readonly string[]
  dispatcher: Dispatcher
}

// Enough of an error body for a provider's error code and message.
const READ_LIMIT = 1024

/**
 * Makes ONE attempt and never throws: every outcome, including the engine's
 * signal and our own `timeout` firing, comes back as a report with
 * `retryable` set for the outbox. Both signals abort the request at once
 * (undici closes the socket), so a hung receiver does not hold a worker.
 */
export async function deliverHttp(delivery: HttpDelivery, signal: AbortSignal): Promise<DeliveryReport> {
  const origin = redactUrl(delivery.url)
  const deadline = AbortSignal.timeout(delivery.timeoutMs)
  let report: DeliveryReport
  try {
    const response = await request(delivery.url, {
      method: delivery.method,
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.any([signal, deadline]),
      dispatcher: delivery.dispatcher
    })
    const text = await readHead(response.body)
    const retryAfter = response.headers['retry-after']
    report = reportForStatus(response.statusCode, origin, describeBody(text), Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
  } catch (err) {
    const cause = signal.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'network'
    report = reportForError(err, cause, origin, delivery.timeout)
  }
  return report.message === undefined ? report : { ...report, message: redactSecrets(report.message, delivery.secrets) }
}

/** The first READ_LIMIT bytes of a body, as text; the rest is dropped with the connection. */
async function readHead(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const buf = chunk as Buffer
    chunks.push(buf)
    size += buf.length
    if (size >= READ_LIMIT) break
  }
  return Buffer.concat(chunks).subarray(0, READ_LIMIT).toString('utf8')
}
