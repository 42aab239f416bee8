/**
 * The alerts bench's API client, in its own process (its event loop is not
 * the engine's): `concurrency` loops over keep-alive connections, each
 * sending `GET /api/v1/monitors/{id}/status` for a random monitor at a paced
 * rate (together `rate` requests/s), like dashboards and people polling while
 * alerts fire. It keeps every request's send time, response time and status
 * and hands them to the parent when told `stop`.
 *
 * argv: base URL, monitors, rate (req/s), concurrency.
 */
import { Agent, request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { monitorId } from './engine-process.js'

export interface ApiSamples {
  /** Epoch ms each request was sent. */
  sentAt: number[]
  /** Its response time, ms. */
  ms: number[]
  /** Its status (0: no response). */
  status: number[]
  /** Requests sent later than their slot because the previous one was still out. */
  late: number
}

const [base = '', monitors = '1000', rate = '200', concurrency = '4'] = process.argv.slice(2)
const n = Number(monitors)
const loops = Number(concurrency)
const periodMs = (loops * 1000) / Number(rate)
const agent = new Agent({ keepAlive: true, maxSockets: loops })
const out: ApiSamples = { sentAt: [], ms: [], status: [], late: 0 }
let running = true

function get(path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', () => resolve(0))
    })
    req.on('error', () => resolve(0))
    req.end()
  })
}

async function loop(offsetMs: number): Promise<void> {
  let next = performance.now() + offsetMs
  while (running) {
    const wait = next - performance.now()
    if (wait > 0) await sleep(wait)
    else if (wait < -1) out.late++
    if (!running) break
    const id = monitorId(Math.floor(Math.random() * n))
    const t0 = performance.now()
    const status = await get(`/api/v1/monitors/${id}/status`)
    out.sentAt.push(performance.timeOrigin + t0)
    out.ms.push(performance.now() - t0)
    out.status.push(status)
    next = Math.max(next + periodMs, performance.now() - periodMs)
  }
}

const all = Array.from({ length: loops }, (_, i) => loop((i * periodMs) / loops))
process.on('message', (msg) => {
  if (msg !== 'stop') return
  running = false
  void Promise.all(all).then(() => {
    process.send?.(out, () => process.exit(0))
  })
})
process.send?.('started')
process.on('disconnect', () => process.exit(0))
