import type { DeliveryReport } from '../notifier.js'
import { networkErrorCode, networkErrorDetail } from '../net/describe-network-error.js'
import { redactSecrets } from './redact-endpoint.js'

// One mapping from "what the receiver did" to a DeliveryReport, the same in
// every notifier that speaks HTTP. The engine's outbox retries only when
// `retryable`, so the line between "try again" and "fix the config" matters
// more than the wording; the wording is one style all the same, so delivery
// history reads alike whatever the channel:
//   HTTP <status> from <endpoint>[: <detail>][ (Retry-After: <value>)]
//   no answer from <endpoint> within <timeout>
//   delivery to <endpoint> aborted before a response arrived
//   request to <endpoint> failed: <network error>

/** Reports keep at most this many characters of message: they are stored with every attempt. */
export const MAX_REPORT_MESSAGE = 1000

/**
 * 408, 429 and 5xx may pass on a later attempt. Any other non-2xx status
 * (a bad URL, a revoked webhook or key, a rejected payload) fails the same
 * way until someone changes the config, and 3xx means the URL moved.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/** What a report about one HTTP answer needs. */
export interface StatusReportInput {
  status: number
  /** The endpoint as reports name it (`redactEndpoint`). */
  endpoint: string
  /** What the provider said or did, already extracted from its answer; empty for nothing. */
  detail?: string
  /** The `Retry-After` header of a failed answer, quoted so an operator sees the provider's own pace. */
  retryAfter?: string
  /** A 2xx that is still a refusal (a Bot API `ok: false`, a captive portal): never retried. */
  refused?: boolean
  /** Scrubbed from the message. */
  secrets?: readonly string[]
}

/**
 * The report for an answer: ok for 2xx (unless `refused`), otherwise failed
 * and retryable by `isRetryableStatus`.
 *
 * @example
 * reportForStatus({ status: 503, endpoint: 'https://hooks.slack.com', detail: 'rollup_error' })
 * // { ok: false, status: 503, message: 'HTTP 503 from https://hooks.slack.com: rollup_error', retryable: true }
 */
export function reportForStatus(input: StatusReportInput): DeliveryReport {
  const { status, endpoint, detail = '', retryAfter, refused = false } = input
  const success = status >= 200 && status < 300
  let message = `HTTP ${status} from ${endpoint}`
  if (status >= 300 && status < 400) message += ': redirects are not followed, set url to the address it redirects to'
  else if (detail !== '') message += `: ${detail}`
  if (!success && retryAfter !== undefined && retryAfter !== '') message += ` (Retry-After: ${retryAfter})`
  message = finish(message, input.secrets)
  if (success && !refused) return { ok: true, status, message }
  return { ok: false, status, message, retryable: success ? false : isRetryableStatus(status) }
}

/** Why no answer arrived: the engine's signal, the channel's own `timeout`, or the network. */
export type NoAnswerCause = 'aborted' | 'timeout' | 'network'

// Refusals by the HTTP client itself, before anything was sent: a header
// value or URL it will not send is a config problem that no retry fixes.
// undici says UND_ERR_INVALID_ARG; node:http says the others.
const REQUEST_REFUSED = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_CHAR', 'ERR_INVALID_URL'])

/** What a report about an attempt that got no answer needs. */
export interface NoAnswerReportInput {
  cause: NoAnswerCause
  /** The endpoint as reports name it (`redactEndpoint`). */
  endpoint: string
  /** The `timeout` as configured (`10s`), for the message. */
  timeout: string
  /** The error the request failed with, for `network`. */
  error?: unknown
  /** Scrubbed from the message. */
  secrets?: readonly string[]
}

/**
 * The report for an attempt without an answer: retryable, unless the client
 * refused to make the request (see `REQUEST_REFUSED`). `status` is `aborted`,
 * `timeout` or the network error's code (`ECONNREFUSED`), when it has one.
 *
 * @example
 * reportForNoAnswer({ cause: 'timeout', endpoint: 'https://api.opsgenie.com', timeout: '10s' })
 * // { ok: false, status: 'timeout', message: 'no answer from https://api.opsgenie.com within 10s', retryable: true }
 */
export function reportForNoAnswer(input: NoAnswerReportInput): DeliveryReport {
  const { cause, endpoint } = input
  if (cause === 'aborted') return { ok: false, status: 'aborted', message: `delivery to ${endpoint} aborted before a response arrived`, retryable: true }
  if (cause === 'timeout') return { ok: false, status: 'timeout', message: `no answer from ${endpoint} within ${input.timeout}`, retryable: true }
  const code = networkErrorCode(input.error)
  return {
    ok: false,
    ...(code === undefined ? {} : { status: code }),
    message: finish(`request to ${endpoint} failed: ${networkErrorDetail(input.error)}`, input.secrets),
    retryable: code === undefined || !REQUEST_REFUSED.has(code)
  }
}

/**
 * The part of an answer's body worth quoting: a provider's error code and
 * message from a JSON body (`{"error":{"code","message"}}` as Azure and
 * Teams send, `{"message"}`, `{"error":"..."}`, `{"description"}`), else the
 * first 200 characters of a text body on one line. HTML pages (proxies, load
 * balancers, captive portals) say nothing useful in 200 characters and are
 * left out.
 *
 * @example
 * describeBody('{"error":{"code":"WorkflowNotFound","message":"The workflow was not found"}}') // 'WorkflowNotFound: The workflow was not found'
 */
export function describeBody(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.startsWith('<')) return ''
  try {
    const found = jsonError(JSON.parse(trimmed) as unknown)
    if (found !== undefined) return oneLine(found, 200)
  } catch {
    // not JSON (or cut off by the read limit): quote it as text
  }
  return oneLine(trimmed, 200)
}

/** A JSON value's top-level fields; empty when it is not an object. Provider answers are read through this. */
export function jsonObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function jsonError(value: unknown): string | undefined {
  const record = jsonObject(value)
  const { code, message } = jsonObject(record.error)
  const parts = [code, message].filter((p): p is string => typeof p === 'string' && p !== '')
  if (parts.length > 0) return parts.join(': ')
  for (const key of ['message', 'error', 'description']) {
    const v = record[key]
    if (typeof v === 'string' && v !== '') return v
  }
  return undefined
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** Secrets out first, then the length cap: cutting first could leave half a secret that no longer matches. */
function finish(message: string, secrets: readonly string[] = []): string {
  const clean = redactSecrets(message, secrets)
  return clean.length > MAX_REPORT_MESSAGE ? `${clean.slice(0, MAX_REPORT_MESSAGE - 1)}…` : clean
}
