import type { X509Certificate } from 'node:crypto'
import type { DetailedPeerCertificate } from 'node:tls'
import type { ObservationValue } from '@vedette/sdk'
import { signatureAlgorithm } from './signature-algorithm.js'

const DAY_MS = 86_400_000

/** One certificate of the chain the server presented, leaf first. */
export interface ChainEntry {
  [key: string]: ObservationValue
  subject: string
  issuer: string
  /** ISO 8601. */
  notAfter: string
}

/** A distinguished name as Node reports it: attribute → value (or values when repeated). */
export type NameObject = Record<string, string | string[]>

/** What the leaf certificate says, independent of how the session went. */
export interface CertificateFacts {
  /** ISO 8601. */
  notBefore: string
  /** ISO 8601. */
  notAfter: string
  /** Fractional; negative once expired. */
  daysUntilExpiry: number
  /** The subject's CN, or the whole DN when it has none. */
  subject: string
  subjectFull: NameObject
  /** The issuer's CN, or the whole DN when it has none. */
  issuer: string
  issuerFull: NameObject
  /** subjectAltName entries: host names and IP addresses bare, other kinds as `type:value`. */
  sans: string[]
  /** `RSA`, `EC`, `Ed25519`... */
  keyType: string | undefined
  keyBits: number | undefined
  signatureAlgorithm: string | undefined
  serialNumber: string
  fingerprint256: string
  /** Issued by itself: same subject and issuer, and its own key verifies its signature. */
  selfSigned: boolean
  chain: ChainEntry[]
}

const KEY_TYPES: Readonly<Record<string, string>> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  dsa: 'DSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448'
}

// asymmetricKeyDetails carries no size for EC keys; the curve says it.
const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512
}

/**
 * The facts about a server's certificate, from the X509Certificate of the
 * leaf and Node's detailed peer certificate (for the chain and the parsed names).
 *
 * @example
 * const facts = certificateFacts(socket.getPeerX509Certificate(), socket.getPeerCertificate(true), Date.now())
 * facts.daysUntilExpiry // 41.7
 */
export function certificateFacts(leaf: X509Certificate, detailed: DetailedPeerCertificate, now: number): CertificateFacts {
  const notBefore = new Date(leaf.validFrom)
  const notAfter = new Date(leaf.validTo)
  const subjectFull = nameObject(detailed.subject)
  const issuerFull = nameObject(detailed.issuer)
  const key = keyFacts(leaf, detailed)
  return {
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysUntilExpiry: (notAfter.getTime() - now) / DAY_MS,
    subject: commonName(subjectFull, leaf.subject),
    subjectFull,
    issuer: commonName(issuerFull, leaf.issuer),
    issuerFull,
    sans: parseSubjectAltName(leaf.subjectAltName),
    keyType: key.type,
    keyBits: key.bits,
    signatureAlgorithm: signatureAlgorithm(leaf),
    serialNumber: leaf.serialNumber,
    fingerprint256: leaf.fingerprint256,
    selfSigned: isSelfSigned(leaf),
    chain: chainOf(detailed)
  }
}

/**
 * subjectAltName as Node formats it (`DNS:a.example, IP Address:127.0.0.1`,
 * values with separators JSON-quoted since Node 17) to a list.
 *
 * @example
 * parseSubjectAltName('DNS:shop.example, DNS:*.shop.example, IP Address:10.0.0.1') // ['shop.example', '*.shop.example', '10.0.0.1']
 */
export function parseSubjectAltName(text: string | undefined): string[] {
  if (text === undefined || text === '') return []
  const entries: string[] = []
  const entry = /(?:^|, )([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)/g
  for (const m of text.matchAll(entry)) {
    const type = m[1] as string
    const raw = m[2] as string
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw
    entries.push(type === 'DNS' || type === 'IP Address' ? value : `${type}:${value}`)
  }
  return entries
}

function keyFacts(leaf: X509Certificate, detailed: DetailedPeerCertificate): { type: string | undefined; bits: number | undefined } {
  const { asymmetricKeyType, asymmetricKeyDetails } = leaf.publicKey
  const type = asymmetricKeyType === undefined ? undefined : (KEY_TYPES[asymmetricKeyType] ?? asymmetricKeyType.toUpperCase())
  const bits =
    asymmetricKeyDetails?.modulusLength ??
    (asymmetricKeyDetails?.namedCurve === undefined ? undefined : CURVE_BITS[asymmetricKeyDetails.namedCurve]) ??
    // The legacy object's `bits` covers what the two above miss (and Ed25519's 253).
    (typeof detailed.bits === 'number' ? detailed.bits : undefined)
  return { type, bits }
}

function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false
  try {
    return cert.verify(cert.publicKey)
  } catch {
    return false
  }
}

/**
 * The chain as presented, leaf first. Node links each certificate to its
 * issuer and ends with a root that points at itself; when the chain verified,
 * that root may come from the trust store rather than the wire.
 */
function chainOf(leaf: DetailedPeerCertificate): ChainEntry[] {
  const chain: ChainEntry[] = []
  const seen = new Set<string>()
  let cert: DetailedPeerCertificate | undefined = leaf
  while (cert !== undefined && cert.raw !== undefined && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256)
    const subject = nameObject(cert.subject)
    const issuer = nameObject(cert.issuer)
    chain.push({ subject: commonName(subject), issuer: commonName(issuer), notAfter: new Date(cert.valid_to).toISOString() })
    cert = cert.issuerCertificate
  }
  return chain
}

/** A plain, cloneable copy of Node's name object (which has a null prototype). */
function nameObject(name: Record<string, string | string[] | undefined> | undefined): NameObject {
  const copy: NameObject = {}
  for (const [k, v] of Object.entries(name ?? {})) {
    if (typeof v === 'string') copy[k] = v
    else if (Array.isArray(v)) copy[k] = [...v]
  }
  return copy
}

function commonName(name: NameObject, dn?: string): string {
  const cn = name.CN
  if (typeof cn === 'string') return cn
  if (Array.isArray(cn) && cn[0] !== undefined) return cn[0]
  // No CN (allowed, SANs carry the names): the DN on one line.
  return dn?.replaceAll('\n', ', ') ?? Object.entries(name).map(([k, v]) => `${k}=${String(v)}`).join(', ')
}
