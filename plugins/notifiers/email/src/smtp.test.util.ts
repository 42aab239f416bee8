// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import type { SMTPServerOptions } from 'smtp-server'
import type { Test } from 'tap'

export interface ReceivedMail {
  from: string
  to: string[]
  /** The DATA as received (CRLF line ends). */
  raw: string
  /** True when the session ran over TLS (implicit or STARTTLS). */
  secure: boolean
  /** The AUTH user, when the client logged in. */
  user: string | undefined
}

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 that keeps
 * every accepted message. `options` override the defaults (plain, no AUTH
 * required); everything closes when `t` ends.
 */
export async function smtpServer(t: Test, options: SMTPServerOptions = {}): Promise<{ port: number; mails: ReceivedMail[] }> {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    closeTimeout: 50,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined
        })
        callback()
      })
    },
    ...options
  })
  server.on('error', () => {}) // clients that hang up mid-handshake, by design
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { port: (server.server.address() as AddressInfo).port, mails }
}

/** An SMTP error with the reply code smtp-server should answer. */
export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

export interface ParsedMail {
  /** Header values by lower-case name, unfolded. */
  headers: Map<string, string>
  /** Decoded bodies of the text/plain and text/html parts, line ends as `\n` (SMTP sends CRLF). */
  parts: Map<string, string>
}

/**
 * Just enough MIME for assertions on the raw DATA (mailparser is not
 * installed): unfolded top-level headers, and the decoded text/plain and
 * text/html parts of a multipart/alternative body.
 */
export function parseMail(raw: string): ParsedMail {
  const [head = '', ...rest] = raw.split('\r\n\r\n')
  const headers = headerMap(head)
  const parts = new Map<string, string>()
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1]
  const sections = boundary === undefined ? [raw] : rest.join('\r\n\r\n').split(`--${boundary}`).slice(1, -1)
  for (const section of sections) {
    const cut = section.indexOf('\r\n\r\n')
    const partHeaders = boundary === undefined ? headers : headerMap(section.slice(0, cut))
    const body = boundary === undefined ? rest.join('\r\n\r\n') : section.slice(cut + 4).replace(/\r\n$/, '')
    const type = (partHeaders.get('content-type') ?? '').split(';')[0]!.trim()
    const encoding = partHeaders.get('content-transfer-encoding') ?? '7bit'
    parts.set(type, decode(body, encoding).replace(/\r\n/g, '\n'))
  }
  return { headers, parts }
}

function headerMap(block: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const line of block.replace(/^\r\n/, '').replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) map.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim())
  }
  return map
}

function decode(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8')
  if (encoding !== 'quoted-printable') return body
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}
