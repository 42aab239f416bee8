// Test-only local receiver standing in for the provider (the `.test.` in the name keeps it out of the published files).
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Test } from 'tap'

export interface ReceivedRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  headers: IncomingHttpHeaders
  body: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown
}

export type Reply = (req: ReceivedRequest, res: ServerResponse) => void

export interface Receiver {
  base: string
  requests: ReceivedRequest[]
  /** Resolves once the receiver has read `count` requests. */
  received(count?: number): Promise<void>
}

/** A JSON reply with `status`. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}

/** Never answers: the request hangs until the client gives up. */
export const silence: Reply = () => {}

/** Serves `reply` on 127.0.0.1:0, recording every request; closed when `t` ends. */
export async function receiver(t: Test, reply: Reply): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const sockets = new Set<Socket>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        parsed = undefined
      }
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json: parsed }
      requests.push(received)
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve()
      reply(received, res)
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    received: (count = 1) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))
  }
}
