import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { performance } from 'node:perf_hooks'
import { networkErrorCode } from '@vedette/sdk'
import { Client } from 'undici'
import type { Dispatcher, buildConnector } from 'undici'
import { chargeStage } from './hop.js'
import type { HopRequest, HopResult, PhaseTotals, ResponseHeaders } from './hop.js'
import { watchStatusLine } from './http-version.js'
import { openSocket } from './open-socket.js'
import { sharedAgent } from './shared-agent.js'
import { inspectTlsSession } from './tls-session.js'

// Reused sentinels: undici needs an Error to abort or destroy with, and
// building one per run (stack capture included) would be wasted CPU.
const BODY_LIMIT = new Error('response body exceeds maxBodyBytes')
const DONE = new Error('check finished')
const noop = (): void => {}

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
  /** Reuse mode: where the shared pool records the version it negotiated with an origin. */
  #versionOf: ((origin: string) => string | undefined) | undefined
  /** A TLS alert the server sent after the handshake (TLS 1.3 rejects a client certificate so). */
  #tlsAlert: Error | undefined
  /** The name the server certificate is verified against. */
  #verifyName = ''
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
      httpVersion: undefined,
      tls: undefined
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
      const shared = sharedAgent(this.#request.tlsVerify, this.#request.tls, this.#request.http2)
      shared.agent.dispatch(
        { origin: url.origin, path: url.pathname + url.search, method, headers, body: body ?? null, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        this
      )
      this.#versionOf = shared.httpVersion
      return
    }
    this.#client = new Client(url.origin, {
      connect: this.#connect,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      allowH2: this.#request.http2
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
    this.#mark = performance.now()
    const { socket, literal, verifyName } = openSocket(this.#request, options)
    const https = options.protocol === 'https:'
    this.#https = https
    this.#verifyName = verifyName
    this.#result.stage = literal ? 'connect' : 'dns'
    this.#connectCallback = callback
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
    const facts = inspectTlsSession(socket, this.#verifyName)
    this.#result.tls = facts
    // The chain verified (or tlsVerify is off); a wrong name fails here, before
    // any request, credentials included, is written to a server that is not the one meant.
    if (this.#request.tlsVerify && facts.hostnameError !== undefined) {
      socket.destroy()
      return this.#onConnectError(facts.hostnameError)
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
    // undici replaces a TLS alert received mid-request with its own "other side closed".
    if (this.#https) socket.on('error', this.#onTlsAlert)
    this.#result.stage = 'request'
    this.#result.remoteAddress = socket.remoteAddress
    if ((socket as TLSSocket).alpnProtocol === 'h2') this.#result.httpVersion = '2.0'
    else {
      this.#result.httpVersion = '1.1'
      watchStatusLine(socket, this.#onStatusLine)
    }
    callback(null, socket)
  }

  readonly #onTlsAlert = (err: Error): void => {
    if (this.#tlsAlert === undefined && networkErrorCode(err)?.startsWith('ERR_SSL_')) this.#tlsAlert = err
  }

  readonly #onStatusLine = (version: string): void => {
    this.#result.httpVersion = version
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
    if (this.#versionOf !== undefined) result.httpVersion = this.#versionOf(this.#request.url.origin)
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
        this.#result.error = this.#tlsAlert ?? err
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
    chargeStage(this.#phases, this.#result.stage, performance.now() - this.#mark)
  }

  #settle(): void {
    if (this.#settled) return
    this.#settled = true
    this.#signal.removeEventListener('abort', this)
    this.#client?.destroy(DONE, noop)
    this.#resolve(this.#result)
  }
}
