import net from 'node:net'
import tls from 'node:tls'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { performance } from 'node:perf_hooks'
import { Agent, Client } from 'undici'
import type { Dispatcher, buildConnector } from 'undici'
import type { HopRequest, HopResult, PhaseTotals, ResponseHeaders } from './hop.js'

// Reused sentinels: undici needs an Error to abort or destroy with, and
// building one per run (stack capture included) would be wasted CPU.
const BODY_LIMIT = new Error('response body exceeds maxBodyBytes')
const DONE = new Error('check finished')
const H1_ALPN = ['http/1.1']
const noop = (): void => {}

// One keep-alive agent per worker and TLS policy, for `reuseConnection`.
const sharedAgents = new Map<boolean, Agent>()
function sharedAgent(tlsVerify: boolean): Agent {
  let agent = sharedAgents.get(tlsVerify)
  if (agent === undefined) {
    agent = new Agent({ keepAliveTimeout: 10_000, connect: { rejectUnauthorized: tlsVerify, ALPNProtocols: H1_ALPN } })
    sharedAgents.set(tlsVerify, agent)
  }
  return agent
}

/**
 * Sends one request over a connection of its own and reads the response.
 *
 * A fresh undici `Client` per hop with a custom `connect` is what lets every run
 * measure DNS, TCP connect and TLS handshake for real, the way blackbox_exporter
 * does; a shared keep-alive pool would report those phases only on the rare run
 * that happened to open a socket. The connection is closed when the hop ends.
 */
export function exchange(request: HopRequest, phases: PhaseTotals, signal: AbortSignal): Promise<HopResult> {
  return new Promise((resolve) => {
    new HttpExchange(request, phases, signal, resolve).start()
  })
}

class HttpExchange implements Dispatcher.DispatchHandler {
  readonly #request: HopRequest
  readonly #phases: PhaseTotals
  readonly #signal: AbortSignal
  readonly #resolve: (result: HopResult) => void
  readonly #result: HopResult
  #client: Client | undefined
  /** Set in reuse mode, where the request is aborted through undici rather than by closing our own client. */
  #controller: Dispatcher.DispatchController | undefined
  #socket: Socket | TLSSocket | undefined
  #connectCallback: buildConnector.Callback | undefined
  #https = false
  #mark = 0
  #settled = false

  constructor(request: HopRequest, phases: PhaseTotals, signal: AbortSignal, resolve: (result: HopResult) => void) {
    this.#request = request
    this.#phases = phases
    this.#signal = signal
    this.#resolve = resolve
    this.#result = {
      statusCode: 0,
      statusText: '',
      headers: undefined,
      bodyBytes: 0,
      body: request.captureBody ? [] : undefined,
      bodyTooLarge: false,
      error: undefined,
      stage: 'dns',
      remoteAddress: undefined,
      tlsVersion: undefined,
      tlsAuthorized: undefined,
      certNotAfter: undefined,
      certSubject: undefined,
      certIssuer: undefined
    }
  }

  start(): void {
    this.#mark = performance.now()
    if (this.#signal.aborted) return this.#fail(this.#signal.reason as Error)
    const { url, method, headers, body, timeoutMs } = this.#request
    this.#signal.addEventListener('abort', this)
    if (this.#request.reuseConnection) {
      // The pool owns connection setup, so no dns/connect/tls phases: time to
      // the response (including any new connection) is ttfb.
      this.#result.stage = 'request'
      sharedAgent(this.#request.tlsVerify).dispatch(
        { origin: url.origin, path: url.pathname + url.search, method, headers, body: body ?? null, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        this
      )
      return
    }
    this.#client = new Client(url.origin, {
      connect: this.#connect,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs
    })
    // The object itself is the abort listener (handleEvent): no closure per run.
    this.#client.dispatch(
      {
        path: url.pathname + url.search,
        method,
        headers,
        body: body ?? null
        // No `reset: true` (`connection: close`): undici then builds an Error
        // with a stack trace for every response, about a sixth of this check's
        // CPU. The hop closes the socket itself in #settle instead, the way
        // blackbox_exporter does; see the README about TIME_WAIT.
      },
      this
    )
  }

  /** AbortSignal listener: the run's deadline passed. */
  handleEvent(): void {
    const reason = this.#signal.reason as Error
    // A socket still connecting is not undici's yet: close it ourselves, or a
    // SYN to a black hole would linger until the kernel gives up.
    if (this.#connectCallback !== undefined) this.#socket?.destroy()
    this.#controller?.abort(reason)
    this.#client?.destroy(reason, noop)
    this.#fail(reason)
  }

  // undici's connect hook. An arrow property so undici can call it unbound.
  readonly #connect = (options: buildConnector.Options, callback: buildConnector.Callback): void => {
    if (this.#socket !== undefined) {
      // undici re-dials when a connection dies before the request was written;
      // a probe should report that, not quietly open a second connection.
      callback(new Error('connection closed before the request was sent'), null)
      return
    }
    const https = options.protocol === 'https:'
    this.#https = https
    const host = options.hostname
    const port = Number(options.port) || (https ? 443 : 80)
    const literal = net.isIP(host) !== 0
    this.#result.stage = literal ? 'connect' : 'dns'
    this.#connectCallback = callback
    this.#mark = performance.now()
    const socket = https
      ? tls.connect({
          host,
          port,
          // Node sends no SNI unless told: name-based virtual hosts (CDNs,
          // shared load balancers) would answer with the wrong certificate.
          servername: options.servername || (literal ? undefined : host),
          rejectUnauthorized: this.#request.tlsVerify,
          ALPNProtocols: H1_ALPN
        })
      : net.connect({ host, port })
    this.#socket = socket
    socket.setNoDelay(true)
    // IP literals skip resolution: no `lookup` event, dns stays 0.
    if (!literal) socket.once('lookup', this.#onLookup)
    socket.once('connect', this.#onConnect)
    if (https) socket.once('secureConnect', this.#onSecureConnect)
    socket.on('error', this.#onConnectError)
  }

  readonly #onLookup = (err: Error | null): void => {
    if (err !== null) return // the socket's `error` event reports it
    const now = performance.now()
    this.#phases.dns += now - this.#mark
    this.#mark = now
    this.#result.stage = 'connect'
  }

  readonly #onConnect = (): void => {
    const now = performance.now()
    this.#phases.connect += now - this.#mark
    this.#mark = now
    if (this.#https) this.#result.stage = 'tls'
    else this.#handOff()
  }

  readonly #onSecureConnect = (): void => {
    const now = performance.now()
    this.#phases.tls += now - this.#mark
    this.#mark = now
    const socket = this.#socket as TLSSocket
    this.#result.tlsVersion = socket.getProtocol() ?? undefined
    this.#result.tlsAuthorized = socket.authorized
    // The leaf certificate's dates, for expiry assertions and the probe expiry metric.
    const cert = socket.getPeerCertificate()
    if (cert && typeof cert.valid_to === 'string' && cert.valid_to !== '') {
      const notAfter = new Date(cert.valid_to)
      if (!Number.isNaN(notAfter.getTime())) this.#result.certNotAfter = notAfter.toISOString()
      if (typeof cert.subject?.CN === 'string') this.#result.certSubject = cert.subject.CN
      if (typeof cert.issuer?.CN === 'string') this.#result.certIssuer = cert.issuer.CN
    }
    this.#handOff()
  }

  readonly #onConnectError = (err: Error): void => {
    const callback = this.#connectCallback
    if (callback === undefined) return
    this.#connectCallback = undefined
    this.#addElapsed()
    this.#result.error = err
    callback(err, null)
  }

  #handOff(): void {
    const socket = this.#socket as Socket
    const callback = this.#connectCallback
    if (callback === undefined) return
    this.#connectCallback = undefined
    socket.removeListener('error', this.#onConnectError)
    this.#result.stage = 'request'
    this.#result.remoteAddress = socket.remoteAddress
    callback(null, socket)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#request.reuseConnection) {
      // In reuse mode ttfb runs from dispatch, so a connection opened for it counts.
      this.#controller = controller
      return
    }
    this.#mark = performance.now()
    this.#result.stage = 'request'
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders, statusText?: string): void {
    if (statusCode < 200) return // 1xx interim responses; the final one follows
    const now = performance.now()
    this.#phases.ttfb += now - this.#mark
    this.#mark = now
    const result = this.#result
    result.stage = 'response'
    result.statusCode = statusCode
    result.statusText = statusText ?? ''
    result.headers = headers
    // Refuse a declared oversize body before reading any of it.
    const length = headers['content-length']
    if (typeof length === 'string' && Number(length) > this.#request.maxBodyBytes) {
      result.bodyTooLarge = true
      controller.abort(BODY_LIMIT)
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const result = this.#result
    result.bodyBytes += chunk.length
    if (result.bodyBytes > this.#request.maxBodyBytes) {
      result.bodyTooLarge = true
      controller.abort(BODY_LIMIT)
    } else if (result.body !== undefined) {
      // undici hands out slices of the socket's own chunks, never reused: keeping them is safe.
      result.body.push(chunk)
    }
  }

  onResponseEnd(): void {
    this.#phases.transfer += performance.now() - this.#mark
    this.#settle()
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    if (this.#settled) return
    if (!this.#result.bodyTooLarge) {
      // Connect-stage failures were timed and recorded by the connector already.
      if (this.#result.error === undefined) {
        this.#addElapsed()
        this.#result.error = err
      }
    } else {
      this.#phases.transfer += performance.now() - this.#mark
    }
    this.#settle()
  }

  #fail(reason: Error): void {
    if (this.#settled) return
    this.#addElapsed()
    this.#result.error = reason
    this.#settle()
  }

  /** Charges time spent in the stage that failed to that stage's phase. */
  #addElapsed(): void {
    const elapsed = performance.now() - this.#mark
    const phases = this.#phases
    switch (this.#result.stage) {
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

  #settle(): void {
    if (this.#settled) return
    this.#settled = true
    this.#signal.removeEventListener('abort', this)
    this.#client?.destroy(DONE, noop)
    this.#resolve(this.#result)
  }
}
