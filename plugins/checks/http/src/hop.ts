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
  /** HTTPS only. */
  tlsVersion: string | undefined
  tlsAuthorized: boolean | undefined
  /** HTTPS only: the server certificate's notAfter (ISO), subject CN and issuer CN. */
  certNotAfter: string | undefined
  certSubject: string | undefined
  certIssuer: string | undefined
}
