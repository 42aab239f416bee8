import { networkErrorCode, networkErrorDetail } from '@vedette/sdk'
import type { DeliveryReport } from '@vedette/sdk'
import { errors, request } from 'undici'
import type { Dispatcher } from 'undici'
import { endpointOf, scrub } from './redact.js'

/** Bytes of a provider's answer kept: answers are small JSON, the rest is not worth reading. */
const MAX_ANSWER_BYTES = 64 * 1024

export interface PostJsonOptions {
  url: URL
  headers?: Record<string, string>
  body: unknown
  dispatcher: Dispatcher
  /** The engine's signal for this attempt. */
  signal: AbortSignal
  /** Fires when the channel's `timeout` is up; shared by every request of one `send`. */
  deadline: AbortSignal
  /** The `timeout` as configured, for the message. */
  timeout: string
  /** Scrubbed from every message this returns. */
  secrets: readonly string[]
}

/** What the provider answered: any status, with the answer parsed when it is JSON. */
export interface JsonAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: unknown
}

export type PostJsonResult = { answer: JsonAnswer; failure?: undefined } | { answer?: undefined; failure: DeliveryReport }

/** 408, 429 and 5xx may pass on a later attempt; other non-2xx statuses need a config change. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/**
 * Makes ONE POST of a JSON body and reads the answer. Never throws: a request
 * that got no answer (network error, timeout, abort) comes back as a failed
 * DeliveryReport, retryable unless undici refused the request itself.
 */
export async function postJson(options: PostJsonOptions): Promise<PostJsonResult> {
  const { url, signal, deadline, secrets } = options
  const endpoint = endpointOf(url)
  if (signal.aborted) return { failure: { ok: false, status: 'aborted', message: `delivery to ${endpoint} aborted before it started`, retryable: true } }
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'vedette', ...options.headers },
      body: JSON.stringify(options.body),
      dispatcher: options.dispatcher,
      signal: AbortSignal.any([signal, deadline])
    })
    const text = await readCapped(res.body)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { answer: { status: res.statusCode, headers: res.headers, text, json } }
  } catch (err) {
    if (signal.aborted) return { failure: { ok: false, status: 'aborted', message: `delivery to ${endpoint} aborted`, retryable: true } }
    if (deadline.aborted) {
      return { failure: { ok: false, status: 'timeout', message: `no answer from ${endpoint} within ${options.timeout}`, retryable: true } }
    }
    const code = networkErrorCode(err)
    return {
      failure: {
        ok: false,
        status: code ?? 'error',
        message: scrub(`request to ${endpoint} failed: ${networkErrorDetail(err)}`, secrets),
        // undici refusing the request (a header it will not send, a bad URL) is a config problem.
        retryable: !(err instanceof errors.InvalidArgumentError)
      }
    }
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    // Leaving the loop destroys the stream and its connection.
    if (size >= MAX_ANSWER_BYTES) break
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8')
}

/**
 * A failed report for a non-2xx answer: `what` is the provider's own
 * explanation, already extracted from its answer.
 */
export function statusFailure(provider: string, answer: JsonAnswer, what: string, secrets: readonly string[]): DeliveryReport {
  const detail = what === '' ? '' : `: ${what}`
  return {
    ok: false,
    status: answer.status,
    message: scrub(`${provider} answered ${answer.status}${detail}`, secrets).slice(0, 1000),
    retryable: isRetryableStatus(answer.status)
  }
}
