/**
 * The alerts bench's HTTP target, in its own process (its CPU is not the
 * engine's): monitor i checks `/m<i>`, which answers 200 `ok` while the
 * monitor's flag is up and 500 `broken` while it is down. Keep-alive.
 *
 * The parent flips flags over IPC: `{ set: 'down' | 'up', ids: number[] | 'all' }`,
 * answered `{ ack: seq }` once the flags are set, so the parent knows from
 * when on the target answers the new way. Reports its port on stdout as JSON.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TargetCommand {
  seq: number
  set: 'down' | 'up'
  ids: number[] | 'all'
}

const monitors = Number(process.argv[2] ?? 1000)
const down = new Uint8Array(monitors)
const okHeaders = { 'content-type': 'text/plain', 'content-length': '2' }
const brokenHeaders = { 'content-type': 'text/plain', 'content-length': '6' }

const server = createServer((req, res) => {
  // `/m<i>`; anything else is up, so a stray request never fires an alert.
  const i = Number(req.url?.slice(2))
  if (Number.isInteger(i) && down[i] === 1) {
    res.writeHead(500, brokenHeaders)
    res.end('broken')
  } else {
    res.writeHead(200, okHeaders)
    res.end('ok')
  }
})
server.keepAliveTimeout = 60_000
server.maxRequestsPerSocket = 0
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('message', (msg: TargetCommand) => {
  const value = msg.set === 'down' ? 1 : 0
  if (msg.ids === 'all') down.fill(value)
  else for (const i of msg.ids) down[i] = value
  process.send?.({ ack: msg.seq })
})
process.on('disconnect', () => process.exit(0))
