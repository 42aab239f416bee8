import { compileAuth } from './auth.js'
import type { HttpAuth } from './auth.js'
import { InvalidHttpConfigError } from './errors.js'
import { compileStatusMatcher } from './status-matcher.js'
import type { StatusMatcher } from './status-matcher.js'
import { compileTemplate } from './template.js'
import type { Template } from './template.js'
import { compileTlsConfig } from './tls-config.js'
import type { CompiledTls, HttpTlsConfig } from './tls-config.js'

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** A monitor's `config` block for `type: http`; mirrors `vedette.configSchema` in package.json. */
export interface HttpCheckConfig {
  /** `http://` or `https://` URL to request. */
  url: string
  /** Default `GET`. */
  method?: HttpMethod
  /** Extra request headers; a `user-agent` is added unless given. Values may carry `{{placeholders}}`. */
  headers?: Record<string, string>
  /** Request body, sent with a `content-length`; may carry `{{placeholders}}`. */
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
  /** Credentials sent as the `authorization` header. */
  auth?: HttpAuth
  /** Client certificate, private CA, SNI name and minimum version for HTTPS. */
  tls?: HttpTlsConfig
  /** Default `false`: offer HTTP/2 over HTTPS (ALPN `h2`, falling back to HTTP/1.1). */
  http2?: boolean
  /** Default `false`: expect the check to fail; down becomes up and up becomes down. */
  invert?: boolean
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
  reuseConnection: false,
  http2: false,
  invert: false
} as const

export const USER_AGENT = 'vedette-check-http'

/** A config ready to run: defaults applied, URL parsed, statuses compiled. */
export interface CompiledHttpConfig {
  /** With placeholders left in; `urlTemplate` renders the run's URL. */
  url: URL
  /** Set when the URL query has placeholders. */
  urlTemplate: Template | undefined
  method: HttpMethod
  /** Flat `[name, value, ...]` list, names lower-cased, as undici takes them; `auth` included. */
  headers: string[]
  /** Placeholders in header values: the value's index in `headers`, and its template. */
  headerTemplates: ReadonlyArray<readonly [number, Template]>
  body: string | undefined
  bodyTemplate: Template | undefined
  followRedirects: boolean
  maxRedirects: number
  tlsVerify: boolean
  expectedStatus: StatusMatcher
  maxBodyBytes: number
  captureHeaders: boolean
  captureBody: boolean
  reuseConnection: boolean
  tls: CompiledTls
  http2: boolean
  invert: boolean
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
  const { url, urlTemplate } = compileUrl(config.url, problems)
  const method = config.method ?? HTTP_CHECK_DEFAULTS.method
  if (!(HTTP_METHODS as readonly string[]).includes(method)) problems.push(`method must be one of ${HTTP_METHODS.join(', ')}`)
  const headerTemplates: (readonly [number, Template])[] = []
  const headers = compileHeaders(config.headers, headerTemplates, problems)
  const authorization = compileAuth(config.auth, problems)
  if (authorization !== undefined) {
    // Two sources for one header would leave the reader guessing which is sent.
    if (headers.some((h, i) => i % 2 === 0 && h === 'authorization')) problems.push('set either auth or an authorization header, not both')
    headers.push('authorization', authorization)
  }
  let bodyTemplate: Template | undefined
  if (config.body !== undefined && typeof config.body !== 'string') problems.push('body must be a string')
  else if (config.body !== undefined) bodyTemplate = compileTemplate(config.body, 'body', problems)
  const maxRedirects = config.maxRedirects ?? HTTP_CHECK_DEFAULTS.maxRedirects
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) problems.push('maxRedirects must be an integer >= 0')
  const maxBodyBytes = config.maxBodyBytes ?? HTTP_CHECK_DEFAULTS.maxBodyBytes
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) problems.push('maxBodyBytes must be an integer >= 0')
  const expectedStatus = config.expectedStatus === undefined ? DEFAULT_STATUS : compileStatusMatcher(config.expectedStatus, problems)
  const tls = compileTlsConfig(config.tls, problems)
  if (problems.length > before || url === undefined || expectedStatus === undefined || tls === undefined) return undefined
  return {
    url,
    urlTemplate,
    method: method as HttpMethod,
    headers,
    headerTemplates,
    body: config.body,
    bodyTemplate,
    followRedirects: config.followRedirects ?? HTTP_CHECK_DEFAULTS.followRedirects,
    maxRedirects,
    tlsVerify: config.tlsVerify ?? HTTP_CHECK_DEFAULTS.tlsVerify,
    expectedStatus,
    maxBodyBytes,
    captureHeaders: config.captureHeaders ?? HTTP_CHECK_DEFAULTS.captureHeaders,
    captureBody: config.captureBody ?? HTTP_CHECK_DEFAULTS.captureBody,
    reuseConnection: config.reuseConnection ?? HTTP_CHECK_DEFAULTS.reuseConnection,
    tls,
    http2: config.http2 ?? HTTP_CHECK_DEFAULTS.http2,
    invert: config.invert ?? HTTP_CHECK_DEFAULTS.invert
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseHttpConfig(config: HttpCheckConfig): CompiledHttpConfig {
  const problems: string[] = []
  const compiled = compileHttpConfig(config, problems)
  if (compiled === undefined) throw new InvalidHttpConfigError(problems.join('; '))
  return compiled
}

function compileUrl(raw: string | undefined, problems: string[]): { url?: URL; urlTemplate?: Template } {
  if (typeof raw !== 'string') {
    problems.push('url is required')
    return {}
  }
  const url = parseUrl(raw)
  if (url === undefined) {
    problems.push(`url ${JSON.stringify(raw)} is not a valid URL`)
    return {}
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`url must be http: or https:, got ${url.protocol}`)
  if (url.username !== '' || url.password !== '') problems.push('url must not carry credentials; use auth instead')
  // Only the query: a placeholder in the host or path would make every run a different target.
  const fragment = raw.indexOf('#') === -1 ? raw.length : raw.indexOf('#')
  const query = raw.indexOf('?') === -1 ? fragment : Math.min(raw.indexOf('?'), fragment)
  const scope = { start: query, end: fragment, name: 'query' }
  return { url, urlTemplate: compileTemplate(raw, 'url', problems, scope) }
}

function compileHeaders(headers: Record<string, string> | undefined, templates: (readonly [number, Template])[], problems: string[]): string[] {
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
        const template = compileTemplate(value, `header ${name}`, problems)
        if (template !== undefined) templates.push([out.length + 1, template])
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
