/**
 * The cluster bench's HTTP target, in its own process: monitor i checks
 * `/m<i>`, answered 200 `ok` (or 500 `broken` once the parent says `down`, for all
 * monitors or the first `failing`).
 * It judges every hit as it arrives, so no per-hit message crosses to the
 * parent: a hit less than half an interval after the monitor's previous hit
 * is a duplicate run; a gap of more than 1.5 intervals left slots nobody ran
 * (missed runs, one per interval in the gap). Keep-alive. Reports its port
 * on stdout as JSON; answers the parent's requests over IPC (advanced
 * serialization, so the per-monitor arrays cross as typed arrays).
 *
 * argv: <monitors> <intervalMs>
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TargetRequest {
  seq: number
  cmd: 'down' | 'up' | 'counters' | 'mark' | 'window-start' | 'window-stop' | 'since-mark'
  /** With `down`: monitors 0 … failing-1 fail, the rest still answer 200. */
  failing?: number
}

/** Running totals since the target started; the parent diffs them per phase. */
export interface TargetCounters {
  at: number
  hits: number
  duplicates: number
  missed: number
  /** A few duplicate runs: monitor index, gap in ms, when. */
  duplicateSamples: Array<{ monitor: number; gapMs: number; at: number }>
}

export interface WindowReport {
  start: number
  end: number
  hits: number
  duplicates: number
  missed: number
  /** Monitors with no hit at all from the window's start to its end. */
  neverHit: number
}

export interface MarkReport {
  markAt: number
  /** Per monitor: its last hit before the mark (0: none). */
  before: Float64Array
  /** Per monitor: its first hit after the mark (0: none yet). */
  after: Float64Array
}

const monitors = Number(process.argv[2])
const everyMs = Number(process.argv[3])
if (!Number.isInteger(monitors) || monitors <= 0 || !Number.isFinite(everyMs) || everyMs <= 0) {
  throw new Error('usage: cluster-target <monitors> <intervalMs>')
}

const last = new Float64Array(monitors)
let before = new Float64Array(monitors)
const after = new Float64Array(monitors)
let markAt = 0
/** Monitors below this index answer 500. */
let failingBelow = 0
const totals: TargetCounters = { at: 0, hits: 0, duplicates: 0, missed: 0, duplicateSamples: [] }
let window: WindowReport | undefined

/** Slots in (from, to] after `from` that fall in the open window, one per interval. */
function missedSlots(from: number, to: number, since: number): number {
  let n = 0
  for (let slot = from + everyMs; slot <= to - everyMs / 2; slot += everyMs) if (slot >= since) n++
  return n
}

function hit(i: number, now: number): void {
  totals.hits++
  if (window !== undefined) window.hits++
  const prev = last[i] as number
  if (prev > 0) {
    const gap = now - prev
    if (gap < everyMs / 2) {
      totals.duplicates++
      if (window !== undefined) window.duplicates++
      if (totals.duplicateSamples.length < 20) totals.duplicateSamples.push({ monitor: i, gapMs: Math.round(gap), at: now })
    } else if (gap > everyMs * 1.5) {
      totals.missed += missedSlots(prev, now, 0)
      if (window !== undefined) window.missed += missedSlots(prev, now, window.start)
    }
  }
  last[i] = now
  if (markAt > 0 && after[i] === 0 && now >= markAt) after[i] = now
}

const okHeaders = { 'content-type': 'text/plain', 'content-length': '2' }
const brokenHeaders = { 'content-type': 'text/plain', 'content-length': '6' }
const server = createServer((req, res) => {
  const i = Number(req.url?.slice(2))
  const known = Number.isInteger(i) && i >= 0 && i < monitors
  if (known) hit(i, Date.now())
  if (known && i < failingBelow) {
    res.writeHead(500, brokenHeaders)
    res.end('broken')
  } else {
    res.writeHead(200, okHeaders)
    res.end('ok')
  }
})
server.keepAliveTimeout = 120_000
server.maxRequestsPerSocket = 0
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`)
})

function closeWindow(now: number): WindowReport {
  const w = window ?? { start: now, end: now, hits: 0, duplicates: 0, missed: 0, neverHit: 0 }
  window = undefined
  w.end = now
  for (let i = 0; i < monitors; i++) {
    const prev = last[i] as number
    if (prev < w.start) w.neverHit++
    // Slots since the last hit that should have run before the window closed.
    w.missed += prev > 0 ? missedSlots(prev, now, w.start) : Math.floor((now - w.start) / everyMs)
  }
  return w
}

process.on('message', (msg: TargetRequest) => {
  const now = Date.now()
  let answer: unknown
  switch (msg.cmd) {
    case 'down':
    case 'up':
      failingBelow = msg.cmd === 'down' ? Math.min(monitors, msg.failing ?? monitors) : 0
      answer = { at: now }
      break
    case 'counters':
      answer = { ...totals, at: now, duplicateSamples: [...totals.duplicateSamples] }
      break
    case 'window-start':
      window = { start: now, end: now, hits: 0, duplicates: 0, missed: 0, neverHit: 0 }
      answer = { at: now }
      break
    case 'window-stop':
      answer = closeWindow(now)
      break
    case 'mark':
      before = Float64Array.from(last)
      after.fill(0)
      markAt = now
      answer = { at: now }
      break
    case 'since-mark':
      answer = { markAt, before, after: Float64Array.from(after) } satisfies MarkReport
      break
  }
  process.send?.({ seq: msg.seq, answer })
})
process.on('disconnect', () => process.exit(0))
