import { networkErrorCode, networkErrorDetail } from '@vedette/sdk'
import type { DeliveryReport } from '@vedette/sdk'

// One mapping from "what the receiver did" to a DeliveryReport, the same in
// every HTTP notifier. The engine's outbox retries only when `retryable`, so
// the line between "try again" and "fix the config" matters more than the text.

/**
 * 2xx is delivered. 408, 429 and 5xx are worth another attempt; any other
 * 4xx (bad URL, revoked webhook, rejected payload) will fail the same way
 * until someone changes the config, and 3xx means the URL moved.
 */
export function reportForStatus(status: number, origin: string, detail: string, retryAfter?: string): DeliveryReport {
  if (status >= 200 && status < 300) {
    return { ok: true, status, message: `HTTP ${status} from ${origin}` }
  }
  const retryable = status === 408 || status === 429 || status >= 500
  let message = `HTTP ${status} from ${origin}`
  if (status >= 300 && status < 400) message += ': redirects are not followed, set url to the address it redirects to'
  else if (detail !== '') message += `: ${detail}`
  if (retryAfter !== undefined && retryAfter !== '') message += ` (Retry-After: ${retryAfter})`
  return { ok: false, status, message, retryable }
}

/** Why no response arrived: the engine's signal, our own timeout, or the network. */
export type NoResponseCause = 'aborted' | 'timeout' | 'network'

/** `timeout` is the value as configured (`10s`), for the message. */
export function reportForError(err: unknown, cause: NoResponseCause, origin: string, timeout: string): DeliveryReport {
  if (cause === 'aborted') return { ok: false, status: 'aborted', message: `delivery to ${origin} aborted before a response arrived`, retryable: true }
  if (cause === 'timeout') return { ok: false, status: 'timeout', message: `no answer from ${origin} within ${timeout}`, retryable: true }
  const code = networkErrorCode(err)
  return {
    ok: false,
    ...(code === undefined ? {} : { status: code }),
    message: `request to ${origin} failed: ${networkErrorDetail(err)}`,
    // undici refusing the request itself (a header value it will not send) is
    // a config problem; everything else (refused, reset, DNS, TLS) may pass.
    retryable: code !== 'UND_ERR_INVALID_ARG'
  }
}

/**
 * The part of an error body worth showing: a provider's error code and
 * message from a JSON body (`{"error":{"code","message"}}` as Azure and Teams
 * send, `{"message"}`, `{"error":"..."}`, `{"description"}`), else the first
 * 200 characters of a text body on one line. HTML pages (proxies, load
 * balancers) say nothing useful in 200 characters and are left out.
 */
export function describeBody(text: string): string {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.startsWith('<')) return ''
  try {
    const parsed: unknown = JSON.parse(trimmed)
    const found = jsonError(parsed)
    if (found !== undefined) return clip(found)
  } catch {
    // not JSON (or cut off by the read limit): show it as text
  }
  return clip(trimmed)
}

function jsonError(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const record = value as Record<string, unknown>
  const error = record.error
  if (error !== null && typeof error === 'object') {
    const { code, message } = error as Record<string, unknown>
    const parts = [code, message].filter((p): p is string => typeof p === 'string' && p !== '')
    if (parts.length > 0) return parts.join(': ')
  }
  for (const key of ['message', 'error', 'description']) {
    const v = record[key]
    if (typeof v === 'string' && v !== '') return v
  }
  return undefined
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
