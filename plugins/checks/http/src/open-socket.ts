import net from 'node:net'
import tls from 'node:tls'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { buildConnector } from 'undici'
import type { HopRequest } from './hop.js'
import { skipIdentityCheck } from './tls-session.js'

const H1_ALPN = ['http/1.1']
// h2 first: the server picks, but its choice follows our order when it has no preference.
const H2_ALPN = ['h2', 'http/1.1']

export interface OpenedSocket {
  socket: Socket | TLSSocket
  /** An IP address, so there is no name to resolve (no `lookup` event). */
  literal: boolean
  /** The name the server certificate is to be verified against. */
  verifyName: string
}

/**
 * Starts the connection undici asked for, with this hop's TLS settings. Node
 * verifies the chain (when `tlsVerify`); the name is left to the caller, who
 * checks it with the certificate facts in hand.
 */
export function openSocket(request: HopRequest, options: buildConnector.Options): OpenedSocket {
  const https = options.protocol === 'https:'
  const host = options.hostname
  const port = Number(options.port) || (https ? 443 : 80)
  const literal = net.isIP(host) !== 0
  if (!https) return { socket: net.connect({ host, port }), literal, verifyName: host }
  // Node sends no SNI unless told: name-based virtual hosts (CDNs, shared
  // load balancers) would answer with the wrong certificate. tls.servername
  // wins over a Host header override (undici's servername), which wins over the URL.
  const servername = request.tls.servername ?? (options.servername || (literal ? undefined : host))
  const socket = tls.connect({
    host,
    port,
    servername,
    ...(request.tls.context === undefined ? {} : { secureContext: request.tls.context }),
    rejectUnauthorized: request.tlsVerify,
    checkServerIdentity: skipIdentityCheck,
    ALPNProtocols: request.http2 ? H2_ALPN : H1_ALPN
  })
  return { socket, literal, verifyName: servername ?? host }
}
