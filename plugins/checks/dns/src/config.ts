import { isIP } from 'node:net'
import { InvalidDnsConfigError } from './errors.js'
import { systemNameserver } from './resolv-conf.js'

/** The record types this check asks for; mirrors the schema's `type` enum. */
export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'CAA'] as const
export type DnsRecordType = (typeof RECORD_TYPES)[number]

/** Response codes of RFC 1035 / 2136 a monitor may expect; mirrors the schema's `expectRcode` enum. */
export const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'] as const
export type DnsRcode = (typeof RCODES)[number]

export type DnsTransport = 'udp' | 'tcp'

/** A monitor's `config` block for `type: dns`; mirrors `vedette.configSchema` in package.json. */
export interface DnsCheckConfig {
  /** Domain name to query. */
  name: string
  /** Default `A`. */
  type?: DnsRecordType
  /** Server IP; default the first nameserver of /etc/resolv.conf. */
  server?: string
  /** Default 53. */
  port?: number
  /** Default `udp`; a truncated UDP answer is retried over TCP anyway. */
  transport?: DnsTransport
  /** Default `true`: the RD flag. */
  recursion?: boolean
  /** Default `NOERROR`. */
  expectRcode?: DnsRcode
  /** Values that must all be among the answers. */
  expectAnswers?: string[]
}

/** The defaults the schema documents; a test keeps the two in step. */
export const DNS_CHECK_DEFAULTS = {
  type: 'A',
  port: 53,
  transport: 'udp',
  recursion: true,
  expectRcode: 'NOERROR'
} as const

export interface CompiledDnsConfig {
  /** Without a trailing dot; `.` for the root. */
  name: string
  type: DnsRecordType
  server: string
  port: number
  transport: DnsTransport
  recursion: boolean
  expectRcode: DnsRcode
  expectAnswers: string[] | undefined
}

/**
 * Applies defaults and checks what JSON Schema cannot. Problems go to
 * `problems`; the result is `undefined` when there is any.
 */
export function compileDnsConfig(config: DnsCheckConfig, problems: string[]): CompiledDnsConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  const name = typeof config.name === 'string' ? normalizeName(config.name) : undefined
  if (name === undefined || name === '') problems.push('name is required')
  else nameProblems(name, problems)
  const type = config.type ?? DNS_CHECK_DEFAULTS.type
  if (!(RECORD_TYPES as readonly string[]).includes(type)) problems.push(`type must be one of ${RECORD_TYPES.join(', ')}`)
  // The server is an address, not a name: resolving the resolver through DNS would test something else.
  let server: string | undefined
  if (config.server !== undefined) {
    server = typeof config.server === 'string' ? stripBrackets(config.server) : ''
    if (isIP(server) === 0) problems.push('server must be an IP address')
  }
  const port = config.port ?? DNS_CHECK_DEFAULTS.port
  if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push('port must be an integer from 1 to 65535')
  const transport = config.transport ?? DNS_CHECK_DEFAULTS.transport
  if (transport !== 'udp' && transport !== 'tcp') problems.push('transport must be udp or tcp')
  const recursion = config.recursion ?? DNS_CHECK_DEFAULTS.recursion
  if (typeof recursion !== 'boolean') problems.push('recursion must be a boolean')
  const expectRcode = config.expectRcode ?? DNS_CHECK_DEFAULTS.expectRcode
  if (!(RCODES as readonly string[]).includes(expectRcode)) problems.push(`expectRcode must be one of ${RCODES.join(', ')}`)
  const { expectAnswers } = config
  if (expectAnswers !== undefined && (!Array.isArray(expectAnswers) || expectAnswers.length === 0 || expectAnswers.some((a) => typeof a !== 'string' || a.trim() === ''))) {
    problems.push('expectAnswers must be a non-empty list of non-empty strings')
  }
  if (problems.length > before) return undefined
  return {
    name: name as string,
    type,
    // Read only when needed, and once: see systemNameserver.
    server: server ?? systemNameserver(),
    port,
    transport,
    recursion,
    expectRcode,
    expectAnswers: expectAnswers?.map((a) => a.trim())
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseDnsConfig(config: DnsCheckConfig): CompiledDnsConfig {
  const problems: string[] = []
  const compiled = compileDnsConfig(config, problems)
  if (compiled === undefined) throw new InvalidDnsConfigError(problems.join('; '))
  return compiled
}

/** `example.com.` → `example.com`; the root stays `.`. */
function normalizeName(name: string): string {
  const trimmed = name.trim()
  return trimmed.length > 1 && trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed
}

// RFC 1035 2.3.4: 63 octets a label, 255 a name on the wire (253 in text).
function nameProblems(name: string, problems: string[]): void {
  if (name === '.') return
  if (Buffer.byteLength(name) > 253) problems.push('name is longer than 253 characters')
  if (name.split('.').some((label) => label === '' || Buffer.byteLength(label) > 63)) problems.push('name has an empty label or one longer than 63 characters')
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}
