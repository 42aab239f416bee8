import type { DeliveryReport } from '../notifier.js'
import { describeBody, jsonObject, reportForNoAnswer, reportForStatus } from './delivery-report.js'
import type { NoAnswerCause } from './delivery-report.js'
import { redactEndpoint, redactSecrets } from './redact-endpoint.js'

// The SDK carries no HTTP client: each notifier brings its own dispatcher
// (undici's `Agent`, one pool per channel that `stop` closes) and `sendJson`
// makes the request through it. Everything around that call is here, once.

/** One request as `sendJson` asks the dispatcher for it (undici's `Dispatcher.request` options). */
export interface JsonRequestOptions {
  origin: string
  /** Path and query. */
  path: string
  method: 'POST' | 'PUT'
  headers: Record<string, string>
  body: string
  signal: AbortSignal
}

/** The response head and body, as undici's `Dispatcher.request` resolves. */
export interface HttpResponseLike {
  statusCode: number
  headers: Record<string, string | string[] | undefined>
  body: AsyncIterable<Uint8Array>
}

/**
 * What `sendJson` sends through: undici's `Agent` (or `Pool`, `Client`)
 * fits as is, so the SDK needs no HTTP client of its own.
 */
export interface JsonDispatcher {
  request(options: JsonRequestOptions): Promise<HttpResponseLike>
}

/** What the provider answered, any status. Secrets are already out of `text`, `json` and `fields`. */
export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The start of the body (at most `ANSWER_READ_LIMIT` bytes), as text. */
  text: string
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown
  /** The top-level fields of a JSON object body; empty otherwise. */
  fields: Record<string, unknown>
}

/** How the package reads an answer: the detail its report quotes, and whether a 2xx is really a success. */
export interface AnswerReading {
  /** Quoted after `HTTP <status> from <endpoint>: `; empty for nothing. */
  detail: string
  /** A 2xx that is not a success (a Bot API `ok: false`, a captive portal): not retried. */
  refused?: boolean
}

export interface SendJsonOptions {
  /** Where to send: reports name it by scheme and host only. */
  url: URL
  /** The JSON payload; one that cannot be encoded (a BigInt or a cycle in `data`) is a failure that no retry fixes. */
  payload: unknown
  /** The channel's connection pool, e.g. `new Agent()` from undici. */
  dispatcher: JsonDispatcher
  /** Default `POST`. */
  method?: 'POST' | 'PUT'
  /** The request headers (see `jsonHeaders`), or a function of the exact body, for a signature over it. */
  headers: Record<string, string> | ((body: string) => Record<string, string>)
  /** The engine's signal for this attempt. */
  signal: AbortSignal
  /** The `timeout` as configured, for the message. */
  timeout: string
  /** How long the attempt may take, from `timeout`. */
  timeoutMs: number
  /**
   * Fires when the channel's `timeout` is up. Default: `timeoutMs` from now;
   * pass one deadline to every request of a `send` that makes several.
   */
  deadline?: AbortSignal
  /** Kept out of every report: tokens, keys, the URL's path (see `urlSecrets`). */
  secrets: readonly string[]
  /**
   * Reads a provider's answer. Without it a 2xx says nothing more and a
   * failure quotes the body (`describeBody`).
   */
  read?(answer: HttpAnswer): AnswerReading
}

/** Bytes of an answer kept: enough for any provider's JSON error; the rest is dropped with the connection. */
export const ANSWER_READ_LIMIT = 64 * 1024

/** Headers every JSON notifier request carries; `extra` (the package's and the config's) comes last. */
export function jsonHeaders(userAgent: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json', 'user-agent': userAgent, ...extra }
}

/**
 * Makes ONE delivery attempt of a JSON payload and never throws: every
 * outcome, the engine's signal and the channel's `timeout` included, comes
 * back as a DeliveryReport with `retryable` set for the outbox. Both signals
 * abort the request at once, so a hung receiver does not hold a worker.
 *
 * @example
 * const dispatcher = new Agent() // undici
 * return sendJson({
 *   url, payload: buildMessage(notification), dispatcher, headers: jsonHeaders('vedette-notifier-x'),
 *   signal, timeout: config.timeout, timeoutMs: config.timeoutMs, secrets: urlSecrets(url)
 * })
 */
export async function sendJson(options: SendJsonOptions): Promise<DeliveryReport> {
  const { url, signal, secrets } = options
  const endpoint = redactEndpoint(url)
  let body: string
  try {
    body = JSON.stringify(options.payload)
  } catch (err) {
    return { ok: false, message: redactSecrets(`notification could not be turned into JSON: ${(err as Error).message}`, secrets), retryable: false }
  }
  const noAnswer = (cause: NoAnswerCause, error?: unknown): DeliveryReport => reportForNoAnswer({ cause, endpoint, timeout: options.timeout, error, secrets })
  // Nothing is sent for an attempt the engine gave up on already.
  if (signal.aborted) return noAnswer('aborted')
  const deadline = options.deadline ?? AbortSignal.timeout(options.timeoutMs)
  let answer: HttpAnswer
  try {
    const response = await options.dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: options.method ?? 'POST',
      headers: typeof options.headers === 'function' ? options.headers(body) : options.headers,
      body,
      signal: AbortSignal.any([signal, deadline])
    })
    answer = answerOf(response.statusCode, response.headers, await readHead(response.body), secrets)
  } catch (err) {
    return noAnswer(signal.aborted ? 'aborted' : deadline.aborted ? 'timeout' : 'network', err)
  }
  const success = answer.status >= 200 && answer.status < 300
  const reading = options.read?.(answer) ?? { detail: success ? '' : describeBody(answer.text) }
  const retryAfter = answer.headers['retry-after']
  return reportForStatus({
    status: answer.status,
    endpoint,
    detail: reading.detail,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    refused: reading.refused === true,
    secrets
  })
}

function answerOf(status: number, headers: HttpAnswer['headers'], raw: string, secrets: readonly string[]): HttpAnswer {
  // Scrubbed before anything reads it: a provider echoing the request must
  // not leak a token through a detail the package cuts short.
  const text = redactSecrets(raw, secrets)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status, headers, text, json, fields: jsonObject(json) }
}

async function readHead(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    // Leaving the loop destroys the stream and its connection.
    if (size >= ANSWER_READ_LIMIT) break
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_READ_LIMIT).toString('utf8')
}
