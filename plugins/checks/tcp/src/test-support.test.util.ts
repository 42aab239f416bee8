// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

/**
 * Listens on 127.0.0.1:0 and hands each accepted socket to `onSocket`
 * (`secureConnection` for a TLS server); everything is closed when `t` ends.
 */
export async function serveTcp(t: Test, onSocket: (socket: Socket) => void, server: Server = createServer()): Promise<number> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {}) // the check closes abruptly by design
  })
  server.on('setSecureContext' in server ? 'secureConnection' : 'connection', onSocket)
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
}
