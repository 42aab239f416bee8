import { createServer } from 'node:http'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

/** One request as the receiver read it. */
export interface ReceivedRequest {
  method: string
  /** Path and query, as sent. */
  path: string
  headers: IncomingHttpHeaders
  /** The body bytes exactly as received (what a signature covers). */
  raw: Buffer
  body: string
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown
}

/** Answers one request (or does not, to play a receiver that hangs). */
export type Reply = (req: ReceivedRequest, res: ServerResponse) => void

export interface NotificationReceiver {
  /** `http://127.0.0.1:<port>`. */
  base: string
  /** Every request read so far, in order. */
  requests: ReceivedRequest[]
  /** Resolves once the receiver has read `count` requests. */
  received(count?: number): Promise<void>
}

/** `200 ok`, as most webhooks answer. */
export const okReply: Reply = (_req, res) => res.end('ok')

/** Never answers: the request hangs until the client gives up. */
export const neverReply: Reply = () => {}

/**
 * A JSON answer with `status`, as providers send.
 *
 * @example
 * jsonReply(429, { message: 'You are being rate limited.', retry_after: 1.5 }, { 'retry-after': '2' })
 */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
}

/**
 * A real HTTP server on 127.0.0.1 standing in for a notifier's provider:
 * records every request and answers it with `reply`. Everything, hung
 * requests included, is closed when `t` ends.
 *
 * @example
 * const rx = await notificationReceiver(t, jsonReply(202, { status: 'success' }))
 * const channel = await notifierChannel(t, pagerDutyNotifier, { routingKey, url: `${rx.base}/v2/enqueue` })
 * await channel.send(notificationFixture(), new AbortController().signal)
 * t.equal(rx.requests[0]!.path, '/v2/enqueue')
 */
export async function notificationReceiver(t: Test, reply: Reply = okReply): Promise<NotificationReceiver> {
  const requests: ReceivedRequest[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const body = raw.toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        json = undefined
      }
      const received: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body, json }
      requests.push(received)
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve()
      reply(received, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    received: (count = 1) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })))
  }
}
