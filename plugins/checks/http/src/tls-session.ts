import { checkServerIdentity } from 'node:tls'
import type { TLSSocket } from 'node:tls'
import { certificateFacts } from '@vedette/check-tls'
import type { CertificateFacts } from '@vedette/check-tls'

/** What a completed TLS handshake showed, for observations and for the verdict. */
export interface TlsSessionFacts {
  tlsVersion: string | undefined
  tlsCipher: string | undefined
  /** The chain verified against the trusted roots (`tls.ca`, else Node's public roots). */
  chainTrusted: boolean
  /** The leaf certificate is valid for the name verified (the SNI name, else the URL host). */
  hostnameVerified: boolean
  /** Node's hostname error, with its code (`ERR_TLS_CERT_ALTNAME_INVALID`), when the name did not verify. */
  hostnameError: Error | undefined
  /** `undefined` when the server sent no certificate. */
  cert: CertificateFacts | undefined
}

/**
 * Node's identity check, switched off in the handshake (`checkServerIdentity`
 * option) so the name is checked here instead: `authorized` then speaks of the
 * chain alone, and the name is known to verify or not even with tlsVerify off.
 */
export function skipIdentityCheck(): undefined {
  return undefined
}

/**
 * The facts of a socket whose handshake just completed. `verifyName` is the
 * name a browser would check: the SNI name sent, or the host connected to.
 *
 * @example
 * socket.once('secureConnect', () => inspectTlsSession(socket, 'shop.example').hostnameVerified)
 */
export function inspectTlsSession(socket: TLSSocket, verifyName: string): TlsSessionFacts {
  const detailed = socket.getPeerCertificate(true)
  const hasCertificate = detailed !== null && detailed.raw !== undefined
  const leaf = hasCertificate ? socket.getPeerX509Certificate() : undefined
  const hostnameError = hasCertificate ? checkServerIdentity(verifyName, detailed) : undefined
  return {
    tlsVersion: socket.getProtocol() ?? undefined,
    tlsCipher: socket.getCipher()?.name,
    chainTrusted: socket.authorized,
    hostnameVerified: hasCertificate && hostnameError === undefined,
    hostnameError,
    cert: leaf === undefined ? undefined : certificateFacts(leaf, detailed, Date.now())
  }
}
