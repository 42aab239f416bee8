import type { HopRequest, ResponseHeaders } from './hop.js'

/** Statuses whose `Location` the check follows. */
export function isRedirect(statusCode: number): boolean {
  return statusCode === 301 || statusCode === 302 || statusCode === 303 || statusCode === 307 || statusCode === 308
}

// Credentials and the Host override belong to the origin they were set for;
// forwarding them to another origin would leak them (fetch and undici drop them too).
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'host'])
// Describe a body that is no longer sent once the method becomes GET.
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location'])

/**
 * The request for the next hop of a redirect, or a message saying why it
 * cannot be followed. Method rewriting follows the fetch standard: 303 turns
 * anything but HEAD into GET, 301/302 turn POST into GET, 307/308 keep both
 * method and body.
 */
export function nextHop(current: HopRequest, statusCode: number, location: string): HopRequest | string {
  if (!URL.canParse(location, current.url.href)) return `redirect to an invalid Location ${JSON.stringify(location)}`
  const url = new URL(location, current.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `redirect to unsupported scheme ${url.protocol} (${url.href})`
  }
  const toGet =
    (statusCode === 303 && current.method !== 'HEAD' && current.method !== 'GET') ||
    ((statusCode === 301 || statusCode === 302) && current.method === 'POST')
  const crossOrigin = url.origin !== current.url.origin
  let headers = current.headers
  if (toGet || crossOrigin) {
    headers = []
    for (let i = 0; i < current.headers.length; i += 2) {
      const name = current.headers[i] as string
      if (crossOrigin && ORIGIN_BOUND_HEADERS.has(name)) continue
      if (toGet && BODY_HEADERS.has(name)) continue
      headers.push(name, current.headers[i + 1] as string)
    }
  }
  return {
    ...current,
    url,
    method: toGet ? 'GET' : current.method,
    headers,
    body: toGet ? undefined : current.body,
    // A client certificate identifies the prober to the monitored origin only, like credentials.
    tls: crossOrigin ? current.foreignTls : current.tls
  }
}

/** A header's first value; undici gives repeated headers as arrays. */
export function firstHeader(headers: ResponseHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name]
  return Array.isArray(value) ? value[0] : value
}
