import { Agent, buildConnector } from 'undici'
import type { TLSSocket } from 'node:tls'
import type { HopTls } from './tls-config.js'

/** A keep-alive agent for `reuseConnection`, and what it learnt about each origin. */
export interface SharedAgent {
  agent: Agent
  /** The HTTP version the pool's last connection to an origin negotiated: `2.0` (ALPN h2) or `1.1`. */
  httpVersion(origin: string): string | undefined
}

// One agent per worker and connection policy: monitors that agree on TLS
// verification, trust, client certificate and HTTP/2 share connections.
const agents = new Map<string, SharedAgent>()

/** The worker's shared agent for this policy, made on first use. */
export function sharedAgent(tlsVerify: boolean, tls: HopTls, http2: boolean): SharedAgent {
  const key = `${tlsVerify}|${http2}|${tls.contextId}|${tls.servername ?? ''}`
  let shared = agents.get(key)
  if (shared === undefined) {
    shared = createSharedAgent(tlsVerify, tls, http2)
    agents.set(key, shared)
  }
  return shared
}

function createSharedAgent(tlsVerify: boolean, tls: HopTls, http2: boolean): SharedAgent {
  const versions = new Map<string, string>()
  const connector = buildConnector({
    rejectUnauthorized: tlsVerify,
    allowH2: http2,
    ...(tls.context === undefined ? {} : { secureContext: tls.context })
  })
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    allowH2: http2,
    // Wrapped to learn which protocol ALPN picked: undici does not tell a request which connection served it.
    connect(options, callback) {
      connector(tls.servername === undefined ? options : { ...options, servername: tls.servername }, (err, socket) => {
        // undici's `host` is its origin URL's (port only when not the default), so this key is `URL.origin`.
        if (socket != null) versions.set(`${options.protocol}//${options.host}`, (socket as TLSSocket).alpnProtocol === 'h2' ? '2.0' : '1.1')
        // The same arguments the connector gave, passed on; its tuple type does not survive the destructuring.
        ;(callback as (...args: unknown[]) => void)(err, socket)
      })
    }
  })
  return {
    agent,
    httpVersion(origin: string): string | undefined {
      return versions.get(origin)
    }
  }
}
