import { InvalidHttpConfigError } from './errors.js'
import { compileStatusMatcher } from './status-matcher.js'
import type { StatusMatcher } from './status-matcher.js'

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** A monitor's `config` block for `type: http`; mirrors `vedette.configSchema` in package.json. */
export interface HttpCheckConfig {
  /** `http://` or `https://` URL to request. */
  url: string
  /** Default `GET`. */
  method?: HttpMethod
  /** Extra request headers; a `user-agent` is added unless given. */
  headers?: Record<string, string>
  /** Request body, sent as is with a `content-length`. */
  body?: string
  /** Default `true`. */
  followRedirects?: boolean
  /** Default 5. More hops than this is `down`. */
  maxRedirects?: number
  /** Default `true`: reject certificates that do not verify. */
  tlsVerify?: boolean
  /** Accepted final status codes: integers or ranges like `"200-299"`. Default `["200-299"]`. */
  expectedStatus?: (number | string)[]
  /** Default 1 MiB. A larger body is `down`; reading stops at the limit. */
  maxBodyBytes?: number
  /** Default `false`: return response headers as observation `headers`. */
  captureHeaders?: boolean
  /** Default `false`: return the body (UTF-8, up to `maxBodyBytes`) as observation `body`. */
  captureBody?: boolean
  /** Default `false`: keep connections open between runs (no dns/connect/tls phases then). */
  reuseConnection?: boolean
}

/** The defaults the schema documents; a test keeps the two in step. */
export const HTTP_CHECK_DEFAULTS = {
  method: 'GET',
  headers: {},
  followRedirects: true,
  maxRedirects: 5,
  tlsVerify: true,
  expectedStatus: ['200-299'],
  maxBodyBytes: 1_048_576,
  captureHeaders: false,
  captureBody: false,
  reuseConnection: false
} as const

export const USER_AGENT = 'vedette-check-http'

/** A config ready to run: defaults applied, URL parsed, statuses compiled. */
export interface CompiledHttpConfig {
  url: URL
  method: HttpMethod
  /** Flat `[name, value, ...]` list, names lower-cased, as undici takes them. */
  headers: string[]
  body: string | undefined
  followRedirects: boolean
  maxRedirects: number
  tlsVerify: boolean
  expectedStatus: StatusMatcher
  maxBodyBytes: number
  captureHeaders: boolean
  captureBody: boolean
  reuseConnection: boolean
}

// undici refuses these (it owns framing and the connection), so refuse them at
// config time with a message rather than as a confusing run-time failure.
const RESERVED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length'])
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const BAD_VALUE = /[\r\n\0]/

// The default matcher is shared: most monitors leave expectedStatus alone and
// should not pay for compiling it on every run.
const DEFAULT_STATUS = compileStatusMatcher(HTTP_CHECK_DEFAULTS.expectedStatus, []) as StatusMatcher

/**
 * Applies defaults and checks what JSON Schema cannot (URL syntax, header
 * names undici refuses, range order). Problems go to `problems`; the result
 * is `undefined` when there is any.
 */
export function compileHttpConfig(config: HttpCheckConfig, problems: string[]): CompiledHttpConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  let url: URL | undefined
  if (typeof config.url !== 'string') problems.push('url is required')
  else if ((url = parseUrl(config.url)) === undefined) problems.push(`url ${JSON.stringify(config.url)} is not a valid URL`)
  else {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`url must be http: or https:, got ${url.protocol}`)
    if (url.username !== '' || url.password !== '') problems.push('url must not carry credentials; send an authorization header instead')
  }
  const method = config.method ?? HTTP_CHECK_DEFAULTS.method
  if (!(HTTP_METHODS as readonly string[]).includes(method)) problems.push(`method must be one of ${HTTP_METHODS.join(', ')}`)
  const headers = compileHeaders(config.headers, problems)
  if (config.body !== undefined && typeof config.body !== 'string') problems.push('body must be a string')
  const maxRedirects = config.maxRedirects ?? HTTP_CHECK_DEFAULTS.maxRedirects
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) problems.push('maxRedirects must be an integer >= 0')
  const maxBodyBytes = config.maxBodyBytes ?? HTTP_CHECK_DEFAULTS.maxBodyBytes
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) problems.push('maxBodyBytes must be an integer >= 0')
  const expectedStatus = config.expectedStatus === undefined ? DEFAULT_STATUS : compileStatusMatcher(config.expectedStatus, problems)
  if (problems.length > before || url === undefined || expectedStatus === undefined) return undefined
  return {
    url,
    method: method as HttpMethod,
    headers,
    body: config.body,
    followRedirects: config.followRedirects ?? HTTP_CHECK_DEFAULTS.followRedirects,
    maxRedirects,
    tlsVerify: config.tlsVerify ?? HTTP_CHECK_DEFAULTS.tlsVerify,
    expectedStatus,
    maxBodyBytes,
    captureHeaders: config.captureHeaders ?? HTTP_CHECK_DEFAULTS.captureHeaders,
    captureBody: config.captureBody ?? HTTP_CHECK_DEFAULTS.captureBody,
    reuseConnection: config.reuseConnection ?? HTTP_CHECK_DEFAULTS.reuseConnection
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseHttpConfig(config: HttpCheckConfig): CompiledHttpConfig {
  const problems: string[] = []
  const compiled = compileHttpConfig(config, problems)
  if (compiled === undefined) throw new InvalidHttpConfigError(problems.join('; '))
  return compiled
}

function compileHeaders(headers: Record<string, string> | undefined, problems: string[]): string[] {
  const out: string[] = []
  let userAgent = false
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
      problems.push('headers must be an object of strings')
      return out
    }
    for (const name of Object.keys(headers)) {
      const value = headers[name]
      const lower = name.toLowerCase()
      if (!TOKEN.test(name)) problems.push(`header name ${JSON.stringify(name)} is not a valid HTTP token`)
      else if (RESERVED_HEADERS.has(lower)) problems.push(`header ${lower} is managed by the check and cannot be set`)
      else if (typeof value !== 'string' || BAD_VALUE.test(value)) problems.push(`header ${name} must be a string without CR, LF or NUL`)
      else {
        if (lower === 'user-agent') userAgent = true
        out.push(lower, value)
      }
    }
  }
  if (!userAgent) out.push('user-agent', USER_AGENT)
  return out
}

// One parse instead of canParse + new URL: this runs on every check.
function parseUrl(input: string): URL | undefined {
  try {
    return new URL(input)
  } catch {
    return undefined
  }
}
