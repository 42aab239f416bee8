import { InvalidTcpConfigError } from './errors.js'
import { compileExpectation } from './expectation.js'
import type { Expectation } from './expectation.js'

/** A monitor's `config` block for `type: tcp`; mirrors `vedette.configSchema` in package.json. */
export interface TcpCheckConfig {
  /** Hostname or IP address. */
  host: string
  port: number
  /** Sent once connected (and after the TLS handshake). */
  send?: string
  /** Substring the response must contain. */
  expect?: string
  /** Regular expression the response must match (instead of `expect`). */
  expectRegex?: string
  /** Default `false`: speak TLS right after connecting. */
  tls?: boolean
  /** Default `true`: reject certificates that do not verify. */
  tlsVerify?: boolean
  /** SNI name and the name the certificate must carry; defaults to `host` unless that is an IP. */
  servername?: string
  /** Default 64 KiB: most bytes read while waiting for the expectation. */
  maxReadBytes?: number
}

/** The defaults the schema documents; a test keeps the two in step. */
export const TCP_CHECK_DEFAULTS = {
  tls: false,
  tlsVerify: true,
  maxReadBytes: 65_536
} as const

export interface CompiledTcpConfig {
  host: string
  port: number
  send: string | undefined
  expectation: Expectation | undefined
  tls: boolean
  tlsVerify: boolean
  servername: string | undefined
  maxReadBytes: number
}

/**
 * Applies defaults and checks what JSON Schema cannot. Problems go to
 * `problems`; the result is `undefined` when there is any.
 */
export function compileTcpConfig(config: TcpCheckConfig, problems: string[]): CompiledTcpConfig | undefined {
  if (config === null || typeof config !== 'object') {
    problems.push('config must be an object')
    return undefined
  }
  const before = problems.length
  if (typeof config.host !== 'string' || config.host === '') problems.push('host is required')
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65_535) problems.push('port must be an integer from 1 to 65535')
  if (config.send !== undefined && typeof config.send !== 'string') problems.push('send must be a string')
  const maxReadBytes = config.maxReadBytes ?? TCP_CHECK_DEFAULTS.maxReadBytes
  if (!Number.isInteger(maxReadBytes) || maxReadBytes < 1) problems.push('maxReadBytes must be an integer >= 1')
  const expectation = compileExpectation(config.expect, config.expectRegex, problems)
  if (problems.length > before) return undefined
  return {
    // `[::1]` as people write it in URLs; net.connect wants the bare address.
    host: config.host.startsWith('[') && config.host.endsWith(']') ? config.host.slice(1, -1) : config.host,
    port: config.port,
    send: config.send,
    expectation,
    tls: config.tls ?? TCP_CHECK_DEFAULTS.tls,
    tlsVerify: config.tlsVerify ?? TCP_CHECK_DEFAULTS.tlsVerify,
    servername: config.servername,
    maxReadBytes
  }
}

/** For the runner: a compiled config, or a coded error listing every problem. */
export function parseTcpConfig(config: TcpCheckConfig): CompiledTcpConfig {
  const problems: string[] = []
  const compiled = compileTcpConfig(config, problems)
  if (compiled === undefined) throw new InvalidTcpConfigError(problems.join('; '))
  return compiled
}
