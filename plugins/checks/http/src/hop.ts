import type { HopTls } from './tls-config.js'
import type { TlsSessionFacts } from './tls-session.js'

/**
 * The shapes one hop (a request and its response) is described with, shared
 * by the exchange that performs it, the redirect logic and the run loop.
 */

/** Where a hop got to: the stage that failed, or `response` once headers arrived. */
export type HopStage = 'dns' | 'connect' | 'tls' | 'request' | 'response'

export type ResponseHeaders = Record<string, string | string[] | undefined>

/** Phase sums (ms) over every hop of one run; each hop adds to them. */
export interface PhaseTotals {
  dns: number
  connect: number
  tls: number
  ttfb: number
  transfer: number
}

/** One request of a run: the first one or a redirect hop. */
export interface HopRequest {
  url: URL
  method: string
  headers: string[]
  body: string | undefined
  tlsVerify: boolean
  /** Trust, client certificate and SNI for this hop. */
  tls: HopTls
  /** What a redirect to another origin switches `tls` to: no client certificate or servername travels there. */
  foreignTls: HopTls
  /** Offer HTTP/2 (ALPN `h2`) over HTTPS. */
  http2: boolean
  maxBodyBytes: number
  captureBody: boolean
  /** Send over the worker's shared keep-alive pool instead of a connection of its own. */
  reuseConnection: boolean
  /** Safety net for undici's own header/body timers; the run's signal normally fires first. */
  timeoutMs: number
}

export interface HopResult {
  /** 0 when no response arrived. */
  statusCode: number
  statusText: string
  headers: ResponseHeaders | undefined
  bodyBytes: number
  /** Only with `captureBody`: the chunks read, at most `maxBodyBytes` in total. */
  body: Buffer[] | undefined
  bodyTooLarge: boolean
  error: Error | undefined
  stage: HopStage
  remoteAddress: string | undefined
  /** `2.0` (ALPN h2), `1.1`, or `1.0` when the status line said so; set once a connection is up. */
  httpVersion: string | undefined
  /** HTTPS on a connection of the hop's own (not with reuseConnection): the handshake's facts. */
  tls: TlsSessionFacts | undefined
}

/** Adds `elapsed` ms to the phase `stage` is timed in. */
export function chargeStage(phases: PhaseTotals, stage: HopStage, elapsed: number): void {
  switch (stage) {
    case 'dns':
      phases.dns += elapsed
      break
    case 'connect':
      phases.connect += elapsed
      break
    case 'tls':
      phases.tls += elapsed
      break
    case 'request':
      phases.ttfb += elapsed
      break
    case 'response':
      phases.transfer += elapsed
      break
  }
}
