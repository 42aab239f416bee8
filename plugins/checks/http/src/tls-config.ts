import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { isAbsolute } from 'node:path'
import { createSecureContext } from 'node:tls'
import type { SecureContext } from 'node:tls'

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const
export type TlsVersion = (typeof TLS_VERSIONS)[number]

/** `tls` in a monitor config. `cert`, `key` and `ca` are PEM text or an absolute path to a PEM file. */
export interface HttpTlsConfig {
  /** Client certificate (PEM, chain allowed) presented to servers that ask for one (mTLS). */
  cert?: string
  /** The client certificate's private key (PEM). */
  key?: string
  /** CA certificate(s) (PEM) to trust instead of the public roots. */
  ca?: string
  /** Passphrase of an encrypted `key`. */
  passphrase?: string
  /** SNI name sent and the name the certificate is verified against, instead of the URL's host. */
  servername?: string
  /** Lowest TLS version accepted. Node's default is TLSv1.2. */
  minVersion?: TlsVersion
}

/** How one hop sets up TLS. */
export interface HopTls {
  /** `undefined`: Node's defaults (public roots, no client certificate). */
  context: SecureContext | undefined
  /** Names the context for keying shared agents; 0 is Node's default. */
  contextId: number
  /** SNI and verification name override. */
  servername: string | undefined
  /** A client certificate is offered (messages suggest one when the server wants it and it is not). */
  clientCert: boolean
}

export interface CompiledTls {
  /** For hops to the monitored URL's origin. */
  origin: HopTls
  /** For redirect hops to another origin: the same trust, but no client certificate or servername. */
  foreign: HopTls
}

const NODE_DEFAULT: HopTls = { context: undefined, contextId: 0, servername: undefined, clientCert: false }
export const DEFAULT_TLS: CompiledTls = { origin: NODE_DEFAULT, foreign: NODE_DEFAULT }

const PEM = /-----BEGIN [A-Z0-9 ]+-----/
const HOST_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/

// Secure contexts by their material: a context parses every PEM (and decrypts
// the key), which would otherwise be paid on each run of each monitor. Bounded,
// oldest dropped first, so rotated certificates do not pile up.
const contexts = new Map<string, { id: number; context: SecureContext }>()
const MAX_CONTEXTS = 128
let nextContextId = 1

/**
 * Loads `tls` into secure contexts, reading files on each call so a renewed
 * certificate is picked up on the next run. Problems name fields and paths,
 * never PEM text or the passphrase.
 */
export function compileTlsConfig(tls: HttpTlsConfig | undefined, problems: string[]): CompiledTls | undefined {
  if (tls === undefined) return DEFAULT_TLS
  if (tls === null || typeof tls !== 'object' || Array.isArray(tls)) {
    problems.push('tls must be an object')
    return undefined
  }
  const before = problems.length
  const cert = loadPem(tls.cert, 'tls.cert', problems)
  const key = loadPem(tls.key, 'tls.key', problems)
  const ca = loadPem(tls.ca, 'tls.ca', problems)
  if ((tls.cert === undefined) !== (tls.key === undefined)) problems.push('tls.cert and tls.key must be given together')
  if (tls.passphrase !== undefined && (typeof tls.passphrase !== 'string' || tls.key === undefined)) {
    problems.push('tls.passphrase must be a string, given with tls.key')
  }
  const { servername, minVersion } = tls
  if (servername !== undefined && (typeof servername !== 'string' || servername.length > 253 || !HOST_NAME.test(servername) || isIP(servername) !== 0)) {
    problems.push('tls.servername must be a host name (SNI cannot carry an IP address)')
  }
  if (minVersion !== undefined && !(TLS_VERSIONS as readonly string[]).includes(minVersion)) {
    problems.push(`tls.minVersion must be one of ${TLS_VERSIONS.join(', ')}`)
  }
  if (problems.length > before) return undefined
  const foreign = secureContext({ ca, minVersion }, 'tls.ca', problems)
  const origin = cert === undefined ? foreign : secureContext({ ca, minVersion, cert, key, passphrase: tls.passphrase }, 'tls.cert/tls.key', problems)
  if (origin === undefined || foreign === undefined) return undefined
  return {
    origin: { ...origin, servername, clientCert: cert !== undefined },
    foreign: { ...foreign, servername: undefined, clientCert: false }
  }
}

interface Material {
  ca: string | undefined
  minVersion: TlsVersion | undefined
  cert?: string | undefined
  key?: string | undefined
  passphrase?: string | undefined
}

function secureContext(material: Material, what: string, problems: string[]): Pick<HopTls, 'context' | 'contextId'> | undefined {
  if (material.ca === undefined && material.minVersion === undefined && material.cert === undefined) return NODE_DEFAULT
  const cacheKey = JSON.stringify([material.ca, material.minVersion, material.cert, material.key, material.passphrase])
  const cached = contexts.get(cacheKey)
  if (cached !== undefined) return { context: cached.context, contextId: cached.id }
  let context: SecureContext
  try {
    context = createSecureContext(material)
  } catch (err) {
    // OpenSSL's reason (bad decrypt, key values mismatch, no start line...) names no secret.
    problems.push(`${what} could not be loaded: ${(err as Error).message}`)
    return undefined
  }
  if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string)
  const entry = { id: nextContextId++, context }
  contexts.set(cacheKey, entry)
  return { context, contextId: entry.id }
}

/**
 * PEM text as is, or the content of the absolute path it names. A relative
 * path is refused: a check has no config folder to resolve it against, and
 * the worker's working directory is an accident of how the engine was started.
 */
function loadPem(value: string | undefined, field: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') {
    problems.push(`${field} must be PEM text or an absolute path to a PEM file`)
    return undefined
  }
  if (PEM.test(value)) return value
  if (!isAbsolute(value)) {
    problems.push(`${field} must be PEM text (-----BEGIN ...) or an absolute path to a PEM file`)
    return undefined
  }
  let text: string
  try {
    text = readFileSync(value, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    problems.push(`${field} file ${value} cannot be read: ${e.code ?? e.message}`)
    return undefined
  }
  if (!PEM.test(text)) {
    problems.push(`${field} file ${value} is not PEM (no -----BEGIN line)`)
    return undefined
  }
  return text
}
