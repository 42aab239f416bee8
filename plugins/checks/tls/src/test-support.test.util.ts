// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import type { TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

/** Listens on 127.0.0.1:0; every socket and the server are closed when `t` ends. */
export async function listen(t: Test, server: Server): Promise<number> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {}) // the check closes abruptly by design
  })
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
}

/** A TLS server presenting `cert`; it only handshakes. */
export function serveTls(t: Test, key: string, cert: string): Promise<number> {
  return listen(t, createTlsServer({ key, cert }) as unknown as Server)
}

export interface FakeSmtpOptions {
  key: string
  cert: string
  /** Default `220 mail.test ESMTP ready`. */
  greeting?: string
  /** Default true: list STARTTLS in the EHLO reply. */
  offerStartTls?: boolean
  /** Lines the server received, for assertions. */
  received?: string[]
}

/**
 * A tiny SMTP server: greets, answers EHLO (multi-line, with STARTTLS unless
 * told not to), answers STARTTLS with 220 and then speaks TLS with `cert`.
 */
export function serveSmtp(t: Test, options: FakeSmtpOptions): Promise<number> {
  const upgraded = new Set<TLSSocket>()
  const tlsServer = createTlsServer({ key: options.key, cert: options.cert }, (secure) => {
    upgraded.add(secure)
    secure.on('error', () => {})
    secure.on('close', () => upgraded.delete(secure))
  })
  tlsServer.on('tlsClientError', () => {})
  t.teardown(() => {
    for (const s of upgraded) s.destroy()
  })
  const server = createServer((socket) => {
    let buffered = ''
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('latin1')
      let eol: number
      while ((eol = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, eol)
        buffered = buffered.slice(eol + 2)
        options.received?.push(line)
        const verb = line.split(' ')[0]?.toUpperCase()
        if (verb === 'EHLO') {
          socket.write(`250-mail.test greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n${options.offerStartTls === false ? '250 8BITMIME' : '250 STARTTLS'}\r\n`)
        } else if (verb === 'STARTTLS') {
          socket.removeListener('data', onData)
          socket.write('220 2.0.0 Ready to start TLS\r\n')
          // Hand the raw socket to a non-listening TLS server: the supported way to upgrade server-side.
          tlsServer.emit('connection', socket)
          return
        } else {
          socket.write('502 5.5.2 command not recognized\r\n')
        }
      }
    }
    socket.on('data', onData)
    socket.write(`${options.greeting ?? '220 mail.test ESMTP ready'}\r\n`)
  })
  return listen(t, server)
}
