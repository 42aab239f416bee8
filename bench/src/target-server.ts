/**
 * The benchmark's HTTP target, run in its own process so that its CPU is not
 * counted as the engine's. Keep-alive, 200 with a small body, counts requests
 * and reports its port on stdout as JSON.
 *
 * `--json-bytes N` serves instead a JSON document of about N bytes
 * (`application/json`, an `items` array of objects that all have `ok: true`,
 * a `version` string): what the assertions bench judges. Built once, so every
 * response costs the target the same.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const jsonAt = process.argv.indexOf('--json-bytes')
const payload = jsonAt >= 0 ? jsonDocument(Number(process.argv[jsonAt + 1])) : Buffer.from('ok')
const headers = {
  'content-type': jsonAt >= 0 ? 'application/json; charset=utf-8' : 'text/plain',
  'content-length': String(payload.length)
}

let requests = 0
const server = createServer((_req, res) => {
  requests++
  res.writeHead(200, headers)
  res.end(payload)
})
server.keepAliveTimeout = 60_000
server.maxRequestsPerSocket = 0
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})
process.on('message', (msg) => {
  if (msg === 'count') process.send?.({ requests, bodyBytes: payload.length })
})
process.on('disconnect', () => process.exit(0))

/** A catalogue-like document: items are added until it reaches `bytes`. */
function jsonDocument(bytes: number): Buffer {
  if (!Number.isFinite(bytes) || bytes < 100) throw new Error(`--json-bytes: expected a number ≥ 100, got ${process.argv[jsonAt + 1]}`)
  const items: string[] = []
  const head = '{"version":"2.7.1","generatedAt":"2026-11-26T12:00:00Z","items":['
  const tail = '],"ok":true}'
  let size = head.length + tail.length
  for (let i = 0; size < bytes; i++) {
    const item = JSON.stringify({
      id: i,
      sku: `SKU-${String(i).padStart(6, '0')}`,
      name: `Item ${i}`,
      ok: true,
      qty: (i * 7) % 23,
      price: ((i * 37) % 1000) + 0.99,
      tags: ['bench', i % 2 === 0 ? 'even' : 'odd']
    })
    size += item.length + (items.length === 0 ? 0 : 1)
    items.push(item)
  }
  return Buffer.from(head + items.join(',') + tail)
}
