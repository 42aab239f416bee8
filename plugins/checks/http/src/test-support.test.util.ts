// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export interface TestServer {
  base: string
  port: number
  connections(): number
}

/** Serves `handler` on 127.0.0.1:0, counting connections; closed when `t` ends. */
export async function serve(t: Test, handler: Handler, server: Server = createServer()): Promise<TestServer> {
  let connections = 0
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => handler(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  const scheme = 'setSecureContext' in server ? 'https' : 'http'
  return { base: `${scheme}://127.0.0.1:${port}`, port, connections: () => connections }
}
