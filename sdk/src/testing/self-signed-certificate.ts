import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SelfSignedCertificateOptions {
  /** Subject common name. Default `localhost`. */
  commonName?: string
  /**
   * subjectAltName entries: host names (`*.example.com` allowed) and IP
   * addresses, typed by their form. Default `['localhost', '127.0.0.1']`;
   * `[]` leaves the extension out. A name missing here is a wrong-hostname certificate.
   */
  altNames?: readonly string[]
  /** How long the certificate is valid from `notBefore`, in days (fractions allowed). Default 2. */
  days?: number
  /**
   * Start of validity. Default now. A date in the past with a short `days`
   * makes an expired certificate; a date in the future, a not-yet-valid one.
   */
  notBefore?: Date
}

export interface SelfSignedCertificate {
  /** PEM private key (RSA 2048). */
  key: string
  /** PEM certificate, self-signed, usable as its own `ca` by a client that should trust it. */
  cert: string
  /** The folder holding `key.pem` and `cert.pem`; removed when the process exits. */
  dir: string
  keyPath: string
  certPath: string
  notBefore: Date
  notAfter: Date
}

const DAY_MS = 86_400_000
// Host names as a certificate carries them: LDH labels, an optional leading wildcard.
const DNS_NAME = /^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/
// Characters that -subj or an openssl.cnf value would read as syntax.
const CN_SYNTAX = /[/\\+=,"\n\r\u0000]/

// Every folder made by this process, removed together when it exits.
const dirs = new Set<string>()

/**
 * A fresh self-signed certificate and key for TLS tests, made with the
 * `openssl` CLI (1.1.1 or later on PATH) in a temp folder. The defaults fit
 * a server on 127.0.0.1 or localhost; the options make the certificates a
 * TLS check must tell apart: expiring in N days, expired, not yet valid,
 * issued for another name.
 *
 * Dates go through `openssl ca -startdate/-enddate` because `openssl req -x509`
 * in OpenSSL 3.0 only takes a positive whole number of days from now.
 *
 * @example
 * const { key, cert } = selfSignedCertificate()
 * const server = https.createServer({ key, cert }, handler)
 *
 * const expired = selfSignedCertificate({ notBefore: new Date(Date.now() - 10 * 86_400_000), days: 1 })
 * const elsewhere = selfSignedCertificate({ commonName: 'shop.example', altNames: ['shop.example'] })
 * const expiring = selfSignedCertificate({ days: 7 })
 */
export function selfSignedCertificate(options: SelfSignedCertificateOptions = {}): SelfSignedCertificate {
  const commonName = options.commonName ?? 'localhost'
  const altNames = options.altNames ?? ['localhost', '127.0.0.1']
  const days = options.days ?? 2
  const notBefore = new Date(Math.floor((options.notBefore ?? new Date()).getTime() / 1000) * 1000)
  if (typeof commonName !== 'string' || commonName === '' || commonName.length > 64 || CN_SYNTAX.test(commonName)) {
    throw new TypeError(`selfSignedCertificate: commonName must be 1 to 64 characters without / \\ + = , or quotes, got ${JSON.stringify(commonName)}`)
  }
  if (!Array.isArray(altNames)) throw new TypeError('selfSignedCertificate: altNames must be an array of host names and IP addresses')
  const san = altNames.map((name: unknown) => {
    if (typeof name === 'string' && isIP(name) !== 0) return `IP:${name}`
    if (typeof name === 'string' && name.length <= 253 && DNS_NAME.test(name)) return `DNS:${name}`
    throw new TypeError(`selfSignedCertificate: altNames entry ${JSON.stringify(name)} is neither a host name nor an IP address`)
  })
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
    throw new RangeError(`selfSignedCertificate: days must be a positive number, got ${String(days)}`)
  }
  if (Number.isNaN(notBefore.getTime())) throw new RangeError('selfSignedCertificate: notBefore is an invalid Date')
  const notAfter = new Date(notBefore.getTime() + Math.max(1000, Math.round(days * DAY_MS / 1000) * 1000))

  const dir = mkdtempSync(join(tmpdir(), 'vdt-cert-'))
  track(dir)
  const keyPath = join(dir, 'key.pem')
  const certPath = join(dir, 'cert.pem')
  const work = join(dir, 'openssl')
  mkdirSync(work)
  writeFileSync(join(work, 'index.txt'), '')
  writeFileSync(join(work, 'openssl.cnf'), opensslConfig(san))
  openssl(work, ['req', '-new', '-config', 'openssl.cnf', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', keyPath, '-out', 'req.pem'])
  openssl(work, [
    'ca', '-batch', '-selfsign', '-config', 'openssl.cnf', '-extensions', 'ext', '-rand_serial', '-notext',
    '-keyfile', keyPath, '-in', 'req.pem', '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-out', certPath
  ])
  rmSync(work, { recursive: true, force: true })
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), dir, keyPath, certPath, notBefore, notAfter }
}

// Self-signed means its own CA: CA:TRUE and the key identifiers let a client
// that lists the certificate in `ca` verify it, as with `openssl req -x509`.
function opensslConfig(san: readonly string[]): string {
  return [
    '[ req ]', 'distinguished_name = dn', '[ dn ]',
    '[ ca ]', 'default_ca = self',
    '[ self ]', 'database = index.txt', 'serial = serial', 'new_certs_dir = .', 'default_md = sha256', 'policy = policy', 'unique_subject = no',
    '[ policy ]', 'commonName = supplied',
    '[ ext ]', 'basicConstraints = critical,CA:TRUE', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always',
    ...(san.length > 0 ? [`subjectAltName = ${san.join(',')}`] : []),
    ''
  ].join('\n')
}

function openssl(cwd: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer }
    if (e.code === 'ENOENT') throw new Error('selfSignedCertificate needs the openssl CLI on PATH', { cause: err })
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() || e.message}`, { cause: err })
  }
}

/** GeneralizedTime, as `openssl ca -startdate` takes it: YYYYMMDDHHMMSSZ. */
function asn1Time(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`
}

function track(dir: string): void {
  if (dirs.size === 0) {
    // Servers in the test may still read the files until the end: remove them last.
    process.once('exit', () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true })
    })
  }
  dirs.add(dir)
}
