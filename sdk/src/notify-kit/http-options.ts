// The URL and header options of notifiers, checked the same way. Problems
// are collected, so one config error lists them all.

// Headers the HTTP client manages itself or refuses; a config value would be ignored or break framing.
const FRAMING_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'host']
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// A header value the client would refuse (or that could split the request).
const BAD_VALUE = /[\r\n\0]/

/** What a URL option must be, beyond an `http:` or `https:` URL. */
export interface UrlRules {
  /** The option's name in problems. Default `url`. */
  name?: string
  /** What to put there, added to "is required". */
  hint?: string
  /** The URL is a credential (a webhook token in its path): never quoted. Default true. */
  secret?: boolean
  /** A base URL that API paths are joined to: no query or fragment. */
  base?: boolean
  /** Refuse `user:password@`: the notifier sends credentials in `headers.authorization` instead. */
  refuseCredentials?: boolean
}

/**
 * A URL option: an `http:` or `https:` URL, checked by `rules`. An unusable
 * value adds a problem and returns `undefined`; a secret URL is never quoted.
 *
 * @example
 * const problems: string[] = []
 * parseUrlOption('https://user:pw@example.com/x', problems, { refuseCredentials: true })
 * // problems: ['url must not contain credentials: send them in headers.authorization']
 * parseUrlOption('https://api.example/?region=eu', problems, { name: 'apiUrl', base: true, secret: false })
 * // problems: [..., 'apiUrl must be a base URL without query or fragment']
 */
export function parseUrlOption(value: unknown, problems: string[], rules: UrlRules = {}): URL | undefined {
  const { name = 'url', secret = true } = rules
  if (typeof value !== 'string' || value === '') {
    problems.push(`${name} is required${rules.hint === undefined ? '' : `: ${rules.hint}`}`)
    return undefined
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(`${name} is not a valid URL${secret ? '' : `: ${JSON.stringify(value)}`}`)
    return undefined
  }
  const before = problems.length
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${name} must be http: or https:, got ${url.protocol}`)
  if (rules.refuseCredentials === true && (url.username !== '' || url.password !== '')) {
    problems.push(`${name} must not contain credentials: send them in headers.authorization`)
  }
  if (rules.base === true && (url.search !== '' || url.hash !== '')) problems.push(`${name} must be a base URL without query or fragment`)
  return problems.length === before ? url : undefined
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
