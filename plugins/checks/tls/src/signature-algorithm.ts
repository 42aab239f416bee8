import type { X509Certificate } from 'node:crypto'

// OpenSSL's long names for the signature algorithms certificates use, by OID.
const NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448'
}

/**
 * The certificate's signature algorithm, as OpenSSL names it
 * (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`...); an unknown one as its
 * dotted OID; `undefined` when the DER cannot be read.
 *
 * Node 20's X509Certificate has no `signatureAlgorithm` (later Node versions
 * do, and win here), so it is read from the DER: Certificate ::= SEQUENCE {
 * tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue }.
 *
 * @example
 * signatureAlgorithm(new X509Certificate(pem)) // 'sha256WithRSAEncryption'
 */
export function signatureAlgorithm(cert: X509Certificate): string | undefined {
  const native = (cert as X509Certificate & { signatureAlgorithm?: unknown }).signatureAlgorithm
  if (typeof native === 'string' && native !== '') return native
  const oid = signatureAlgorithmOid(cert.raw)
  return oid === undefined ? undefined : (NAMES[oid] ?? oid)
}

/** The dotted OID of a DER certificate's outer signatureAlgorithm, or `undefined`. */
export function signatureAlgorithmOid(der: Uint8Array): string | undefined {
  const outer = readTlv(der, 0)
  if (outer?.tag !== 0x30) return undefined
  const tbs = readTlv(der, outer.start)
  if (tbs?.tag !== 0x30) return undefined
  const algorithm = readTlv(der, tbs.end)
  if (algorithm?.tag !== 0x30) return undefined
  const oid = readTlv(der, algorithm.start)
  if (oid?.tag !== 0x06) return undefined
  return decodeOid(der.subarray(oid.start, oid.end))
}

interface Tlv {
  tag: number
  /** First content byte. */
  start: number
  /** One past the last content byte. */
  end: number
}

function readTlv(der: Uint8Array, at: number): Tlv | undefined {
  const tag = der[at]
  let lengthByte = der[at + 1]
  if (tag === undefined || lengthByte === undefined) return undefined
  let start = at + 2
  let length = lengthByte
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f
    if (count === 0 || count > 4) return undefined
    length = 0
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i]
      if (lengthByte === undefined) return undefined
      length = length * 256 + lengthByte
    }
    start += count
  }
  const end = start + length
  return end > der.length ? undefined : { tag, start, end }
}

function decodeOid(bytes: Uint8Array): string | undefined {
  const arcs: number[] = []
  let value = 0
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80)
      else arcs.push(value)
      value = 0
    }
  }
  return arcs.length === 0 ? undefined : arcs.join('.')
}
