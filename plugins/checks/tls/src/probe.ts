import net from 'node:net'
import { hostname } from 'node:os'
import tls from 'node:tls'
import type { X509Certificate } from 'node:crypto'
import type { Socket } from 'node:net'
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls'
import { performance } from 'node:perf_hooks'
import type { CompiledTlsConfig } from './config.js'
import { smtpStartTls } from './smtp-starttls.js'

/** Where a probe got to. `dns` is timed as part of the `connect` phase. */
export type ProbeStage = 'dns' | 'connect' | 'starttls' | 'tls'

/** How a probe ended. */
export type ProbeEnd =
  | 'handshake' // the TLS handshake completed; `session` is set
  | 'refused' // the STARTTLS dialogue failed; `failure` says how
  | 'closed' // the peer closed first
  | 'error' // a socket or TLS error; see `error`
  | 'aborted' // the run's signal fired

export interface ProbePhases {
  /** Name resolution and TCP handshake. */
  connect: number
  /** SMTP greeting to the 220 reply to STARTTLS. */
  starttls: number
  tls: number
}

/** What the handshake revealed, read before the socket is closed. */
export interface TlsSession {
  /** `undefined` when the server sent no certificate (anonymous cipher suites). */
  leaf: X509Certificate | undefined
  detailed: DetailedPeerCertificate
  authorized: boolean
  /** OpenSSL's reason when not authorized, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  authorizationError: string | undefined
  /** `undefined` when the certificate is valid for the name; else Node's reason. */
  hostnameError: string | undefined
  tlsVersion: string | undefined
  cipher: string | undefined
}

export interface ProbeResult {
  end: ProbeEnd
  stage: ProbeStage
  error: Error | undefined
  failure: string | undefined
  phases: ProbePhases
  remoteAddress: string | undefined
  session: TlsSession | undefined
}

/**
 * Connects, optionally negotiates SMTP STARTTLS, and completes a TLS handshake
 * that accepts any certificate (so the facts are always there to judge);
 * closes the socket whatever happens.
 */
export function probe(config: CompiledTlsConfig, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    new TlsProbe(config, signal, resolve).start()
  })
}

class TlsProbe {
  readonly #config: CompiledTlsConfig
  readonly #signal: AbortSignal
  readonly #resolve: (result: ProbeResult) => void
  readonly #result: ProbeResult
  readonly #sockets: Socket[] = []
  #mark = 0
  #done = false

  constructor(config: CompiledTlsConfig, signal: AbortSignal, resolve: (result: ProbeResult) => void) {
    this.#config = config
    this.#signal = signal
    this.#resolve = resolve
    this.#result = {
      end: 'error',
      stage: 'dns',
      error: undefined,
      failure: undefined,
      phases: { connect: 0, starttls: 0, tls: 0 },
      remoteAddress: undefined,
      session: undefined
    }
  }

  start(): void {
    this.#mark = performance.now()
    if (this.#signal.aborted) return this.#finish('aborted', this.#signal.reason as Error)
    const { host, port, starttls } = this.#config
    const literal = net.isIP(host) !== 0
    this.#result.stage = literal ? 'connect' : 'dns'
    const socket = starttls === 'none' ? tls.connect({ host, port, ...this.#tlsOptions() }) : net.connect({ host, port })
    this.#watch(socket)
    if (!literal) socket.once('lookup', (err: Error | null) => err === null && this.#next('connect'))
    socket.once('connect', () => {
      this.#result.remoteAddress = socket.remoteAddress
      if (starttls === 'none') {
        this.#next('tls')
        socket.once('secureConnect', () => this.#handshakeDone(socket as TLSSocket))
        return
      }
      this.#next('starttls')
      smtpStartTls(socket, hostname(), (failure) => {
        if (this.#done) return
        if (failure !== undefined) {
          this.#result.failure = failure
          return this.#finish('refused')
        }
        this.#next('tls')
        const secure = tls.connect({ socket, ...this.#tlsOptions() })
        this.#watch(secure)
        secure.once('secureConnect', () => this.#handshakeDone(secure))
      })
    })
    this.#signal.addEventListener('abort', this)
  }

  /** AbortSignal listener: the run's deadline passed. */
  handleEvent(): void {
    this.#finish('aborted', this.#signal.reason as Error)
  }

  #tlsOptions(): tls.ConnectionOptions {
    const { sni, ca } = this.#config
    return {
      // Node sends no SNI unless told; name-based TLS front ends need it.
      ...(sni === undefined ? {} : { servername: sni }),
      ...(ca === undefined ? {} : { ca }),
      // Judged afterwards from `authorized`: a rejected handshake would hide every fact.
      rejectUnauthorized: false,
      // Node folds a name mismatch into `authorized`; the name is checked by
      // hand after the handshake so chainTrusted speaks of the chain alone.
      checkServerIdentity: () => undefined
    }
  }

  #watch(socket: Socket): void {
    this.#sockets.push(socket)
    // The listeners stay for the socket's life: an error emitted after the
    // probe finished must not become an uncaught 'error' event.
    socket.on('error', (err) => this.#finish('error', err))
    socket.on('close', () => this.#finish('closed'))
  }

  #handshakeDone(socket: TLSSocket): void {
    const detailed = socket.getPeerCertificate(true)
    const hasCertificate = detailed !== null && detailed.raw !== undefined
    const identity = hasCertificate ? tls.checkServerIdentity(this.#config.verifyName, detailed) : undefined
    const authError = socket.authorizationError as unknown
    this.#result.session = {
      leaf: hasCertificate ? socket.getPeerX509Certificate() : undefined,
      detailed,
      authorized: socket.authorized,
      authorizationError:
        authError == null ? undefined : authError instanceof Error ? ((authError as NodeJS.ErrnoException).code ?? authError.message) : String(authError),
      hostnameError: identity?.message,
      tlsVersion: socket.getProtocol() ?? undefined,
      cipher: socket.getCipher()?.name
    }
    this.#finish('handshake')
  }

  /** Ends a timed stage: charges it to its phase and starts the next. */
  #next(stage: ProbeStage): void {
    const now = performance.now()
    this.#result.phases[phaseOf(this.#result.stage)] += now - this.#mark
    this.#mark = now
    this.#result.stage = stage
  }

  #finish(end: ProbeEnd, error?: Error): void {
    if (this.#done) return
    this.#done = true
    const result = this.#result
    if (end !== 'handshake') result.phases[phaseOf(result.stage)] += performance.now() - this.#mark
    else result.phases.tls += performance.now() - this.#mark
    result.end = end
    result.error = error
    this.#signal.removeEventListener('abort', this)
    // Outermost first: destroying the plain socket under a live STARTTLS
    // TLSSocket crashes Node 20 (SIGSEGV) when the process later exits.
    for (const socket of [...this.#sockets].reverse()) socket.destroy()
    this.#resolve(result)
  }
}

function phaseOf(stage: ProbeStage): keyof ProbePhases {
  return stage === 'dns' ? 'connect' : stage
}
