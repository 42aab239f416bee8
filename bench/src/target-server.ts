/**
 * The benchmark's HTTP target, run in its own process so that its CPU is not
 * counted as the engine's. Keep-alive, 200 with a small body, counts requests
 * and reports its port on stdout as JSON.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

let requests = 0
const server = createServer((_req, res) => {
  requests++
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
  res.end('ok')
})
server.keepAliveTimeout = 60_000
server.maxRequestsPerSocket = 0
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('message', (msg) => {
  if (msg === 'count') process.send?.({ requests })
})
process.on('disconnect', () => process.exit(0))
