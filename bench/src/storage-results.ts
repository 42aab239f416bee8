/**
 * Check results for the storage bench, shaped like what `@vedette/check-http`
 * produces (see its README's example output): four phases for plain HTTP,
 * five with TLS, the observations every HTTP result carries, TLS facts on
 * HTTPS monitors, and an occasional degraded or refused run. Timings are raw
 * `performance.now()` differences (15-odd significant digits), as real
 * results are, because that is what a store has to encode.
 *
 * Results come round-robin over the monitors, one interval apart per monitor,
 * so a batch of 1,000 holds 1,000 different monitors, as it does when the
 * scheduler spreads runs across their interval.
 */
import type { CheckResult, Observations, PhaseTimings } from '@vedette/sdk'

export interface ResultStreamOptions {
  monitors: number
  /** Each monitor's run interval; consecutive rounds are this far apart. */
  intervalMs: number
  /** Start time of the first round. */
  startAt: number
  seed?: number
}

/** Every 4th monitor is HTTPS; 2 % of runs degraded, 1 % refused. */
const HTTPS_EVERY = 4
const DEGRADED_PER_MILLE = 20
const DOWN_PER_MILLE = 10

export class ResultStream {
  readonly #o: ResultStreamOptions
  readonly #ids: string[]
  readonly #urls: string[]
  #next = 0
  #rand: () => number

  constructor(options: ResultStreamOptions) {
    this.#o = options
    this.#ids = Array.from({ length: options.monitors }, (_, i) => monitorId(i))
    this.#urls = this.#ids.map((id, i) => `${i % HTTPS_EVERY === 0 ? 'https' : 'http'}://${id}.shop.internal/health`)
    this.#rand = mulberry32(options.seed ?? 0x5eed)
  }

  /** Results produced so far. */
  get produced(): number {
    return this.#next
  }

  /** The monitor index and start time of the k-th result (for baselines that build rows themselves). */
  slot(k: number): { monitor: number; startedAt: number } {
    const { monitors, intervalMs, startAt } = this.#o
    const monitor = k % monitors
    const round = Math.floor(k / monitors)
    // Runs of different monitors are spread over the interval, as the scheduler's jitter does.
    return { monitor, startedAt: startAt + round * intervalMs + Math.floor((monitor * intervalMs) / monitors) }
  }

  next(): CheckResult {
    const { monitor, startedAt } = this.slot(this.#next++)
    const tls = monitor % HTTPS_EVERY === 0
    const roll = Math.floor(this.#rand() * 1000)
    const url = this.#urls[monitor] as string
    if (roll < DOWN_PER_MILLE) return this.#refused(monitor, startedAt, url, tls)
    const phases: PhaseTimings = {
      dns: 0.3 + this.#rand() * 4,
      connect: 0.4 + this.#rand() * 3,
      ...(tls ? { tls: 2 + this.#rand() * 10 } : {}),
      ttfb: 5 + this.#rand() * 60,
      transfer: this.#rand() * 2
    }
    const degraded = roll < DOWN_PER_MILLE + DEGRADED_PER_MILLE
    if (degraded) phases.ttfb = (phases.ttfb as number) + 800
    const observations: Observations = {
      redirects: 0,
      finalUrl: url,
      responseBytes: 15 + Math.floor(this.#rand() * 2000),
      statusCode: 200,
      httpVersion: '1.1',
      contentType: 'application/json',
      remoteAddress: `10.0.${monitor >> 8 & 255}.${monitor & 255}`,
      ...(tls ? { tlsVersion: 'TLSv1.3', tlsCipher: 'TLS_AES_256_GCM_SHA384', tlsAuthorized: true, daysUntilExpiry: 30 + (monitor % 60) } : {})
    }
    const latencyMs = sum(phases)
    return {
      tenantId: 'default',
      monitorId: this.#ids[monitor] as string,
      startedAt,
      status: degraded ? 'degraded' : 'up',
      latencyMs,
      message: degraded ? `HTTP 200 OK; latency ${Math.round(latencyMs)} ms above 500 ms` : 'HTTP 200 OK',
      phases,
      observations
    }
  }

  batch(n: number): CheckResult[] {
    const out = new Array<CheckResult>(n)
    for (let i = 0; i < n; i++) out[i] = this.next()
    return out
  }

  #refused(monitor: number, startedAt: number, url: string, tls: boolean): CheckResult {
    const phases: PhaseTimings = { dns: 0.3 + this.#rand() * 4, connect: 0.2 + this.#rand() * 2, ...(tls ? { tls: 0 } : {}), ttfb: 0, transfer: 0 }
    return {
      tenantId: 'default',
      monitorId: this.#ids[monitor] as string,
      startedAt,
      status: 'down',
      latencyMs: sum(phases),
      message: `connection refused by 10.0.${monitor >> 8 & 255}.${monitor & 255}:${tls ? 443 : 80}`,
      phases,
      observations: { redirects: 0, finalUrl: url, responseBytes: 0, failedPhase: 'connect', errorCode: 'ECONNREFUSED' }
    }
  }
}

/** Monitor ids as an operator writes them: a slug with a number. */
export function monitorId(i: number): string {
  return `api-${String(i).padStart(5, '0')}`
}

function sum(phases: PhaseTimings): number {
  let total = 0
  for (const name in phases) total += phases[name] ?? 0
  return total
}

/** A small seeded PRNG, so every run (and both stores) sees the same results. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
