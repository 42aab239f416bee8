/**
 * The alerts bench's webhook receiver, in its own process (as a real receiver
 * is elsewhere: its timing does not wait on the engine's event loop). Every
 * POST is answered 200 and reported to the parent over IPC with the moment
 * its body was complete (epoch ms, sub-millisecond) and what it carried:
 * event, idempotency key, and each alert's id, monitor and status.
 * Reports its port on stdout as JSON.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedPost {
  /** Epoch ms when the whole body had arrived. */
  at: number
  event: string
  idempotencyKey: string
  bytes: number
  alerts: Array<{ id: string; monitorId: string; status: string }>
}

interface Payload {
  event: string
  idempotencyKey: string
  alerts: Array<{ id: string; monitorId: string; status: string }>
}

const now = (): number => performance.timeOrigin + performance.now()

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const at = now()
    res.writeHead(200, { 'content-length': '0' })
    res.end()
    const body = Buffer.concat(chunks)
    try {
      const p = JSON.parse(body.toString('utf8')) as Payload
      const post: ReceivedPost = {
        at,
        event: p.event,
        idempotencyKey: p.idempotencyKey,
        bytes: body.length,
        alerts: p.alerts.map((a) => ({ id: a.id, monitorId: a.monitorId, status: a.status }))
      }
      process.send?.(post)
    } catch (err) {
      process.send?.({ at, event: 'unparseable', idempotencyKey: '', bytes: body.length, alerts: [], error: (err as Error).message })
    }
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('disconnect', () => process.exit(0))
