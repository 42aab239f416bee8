// The config fields of notifiers that post to a configured URL (`url`,
// `headers`), checked the same way. Problems are collected, so one config
// error lists them all.

// Headers the HTTP client manages itself or refuses; a config value would be ignored or break framing.
const FRAMING_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'host']
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// A header value the client would refuse (or that could split the request).
const BAD_VALUE = /[\r\n\0]/

/**
 * The `url` option: an `http:` or `https:` URL without credentials. The
 * value is never echoed in a problem: it may hold a token.
 *
 * @example
 * const problems: string[] = []
 * parseEndpointUrl('https://user:pw@example.com/x', problems) // problems: ['url must not contain credentials: send them in headers.authorization']
 */
export function parseEndpointUrl(value: unknown, problems: string[]): URL | undefined {
  if (typeof value !== 'string' || value === '') {
    problems.push('url is required')
    return undefined
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push('url is not a valid URL')
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`url must be http: or https:, got ${url.protocol}`)
  if (url.username !== '' || url.password !== '') problems.push('url must not contain credentials: send them in headers.authorization')
  return url
}

/**
 * The `headers` option: extra request headers, names lower-cased.
 * `managed` lists the ones the notifier sets itself (a signature, an
 * idempotency key), which the config cannot override.
 */
export function parseHeaders(value: unknown, managed: readonly string[], problems: string[]): Record<string, string> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push('headers must be an object of strings')
    return {}
  }
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    const lower = name.toLowerCase()
    if (!TOKEN.test(name)) problems.push(`header name ${JSON.stringify(name)} is not a valid HTTP token`)
    else if (FRAMING_HEADERS.includes(lower) || managed.includes(lower)) problems.push(`header ${lower} is set by the notifier and cannot be configured`)
    else if (typeof v !== 'string' || BAD_VALUE.test(v)) problems.push(`header ${lower} must be a string without line breaks`)
    else out[lower] = v
  }
  return out
}
