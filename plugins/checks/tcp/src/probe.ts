import net from 'node:net'
import tls from 'node:tls'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { performance } from 'node:perf_hooks'
import { StringDecoder } from 'node:string_decoder'
import type { CompiledTcpConfig } from './config.js'

/** Where a probe got to: the stage it ended in. */
export type ProbeStage = 'dns' | 'connect' | 'tls' | 'send' | 'expect'

/** How a probe ended. */
export type ProbeEnd =
  | 'connected' // no expectation: connect (+ TLS, + send) succeeded
  | 'matched' // the expectation matched
  | 'closed' // the peer closed before it matched
  | 'limit' // maxReadBytes read without a match
  | 'deadline' // the expectation's time ran out
  | 'error' // a socket error; see `error`
  | 'aborted' // the run's signal fired

export interface ProbePhases {
  dns: number
  connect: number
  tls: number
  /** From ready (connected, TLS done) until the expectation matched or failed. */
  expect: number
}

export interface ProbeResult {
  end: ProbeEnd
  stage: ProbeStage
  error: Error | undefined
  phases: ProbePhases
  connected: boolean
  /** Text read (UTF-8), at most maxReadBytes bytes of it. */
  text: string
  bytes: number
  remoteAddress: string | undefined
  tlsVersion: string | undefined
  tlsAuthorized: boolean | undefined
}

/**
 * Connects, optionally speaks TLS, sends `send`, and reads until the
 * expectation matches, the peer closes, `maxReadBytes` are read or
 * `expectUntil` (epoch ms) passes. The socket is closed whatever happens.
 */
export function probe(config: CompiledTcpConfig, signal: AbortSignal, expectUntil: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    new TcpProbe(config, signal, expectUntil, resolve).start()
  })
}

class TcpProbe {
  readonly #config: CompiledTcpConfig
  readonly #signal: AbortSignal
  readonly #expectUntil: number
  readonly #resolve: (result: ProbeResult) => void
  readonly #result: ProbeResult
  #socket: Socket | TLSSocket | undefined
  #decoder: StringDecoder | undefined
  #timer: NodeJS.Timeout | undefined
  #mark = 0
  #done = false

  constructor(config: CompiledTcpConfig, signal: AbortSignal, expectUntil: number, resolve: (result: ProbeResult) => void) {
    this.#config = config
    this.#signal = signal
    this.#expectUntil = expectUntil
    this.#resolve = resolve
    this.#result = {
      end: 'error',
      stage: 'dns',
      error: undefined,
      phases: { dns: 0, connect: 0, tls: 0, expect: 0 },
      connected: false,
      text: '',
      bytes: 0,
      remoteAddress: undefined,
      tlsVersion: undefined,
      tlsAuthorized: undefined
    }
  }

  start(): void {
    this.#mark = performance.now()
    if (this.#signal.aborted) return this.#finish('aborted', this.#signal.reason as Error)
    const { host, port } = this.#config
    const literal = net.isIP(host) !== 0
    this.#result.stage = literal ? 'connect' : 'dns'
    const socket = this.#config.tls
      ? tls.connect({
          host,
          port,
          // Node sends no SNI unless told; name-based TLS front ends need it.
          servername: this.#config.servername ?? (literal ? undefined : host),
          rejectUnauthorized: this.#config.tlsVerify
        })
      : net.connect({ host, port })
    this.#socket = socket
    socket.setNoDelay(true)
    // The listener stays for the socket's life: an error emitted after the
    // probe finished must not become an uncaught 'error' event.
    socket.on('error', (err) => this.#finish('error', err))
    socket.on('close', () => this.#finish('closed'))
    if (!literal) socket.once('lookup', (err: Error | null) => err === null && this.#next('connect', 'dns'))
    socket.once('connect', () => {
      this.#next(this.#config.tls ? 'tls' : 'send', 'connect')
      if (!this.#config.tls) this.#ready()
    })
    if (this.#config.tls) {
      socket.once('secureConnect', () => {
        this.#next('send', 'tls')
        const s = socket as TLSSocket
        this.#result.tlsVersion = s.getProtocol() ?? undefined
        this.#result.tlsAuthorized = s.authorized
        this.#ready()
      })
    }
    this.#signal.addEventListener('abort', this)
  }

  /** AbortSignal listener: the run's deadline passed. */
  handleEvent(): void {
    this.#finish('aborted', this.#signal.reason as Error)
  }

  /** Ends a timed stage: charges it to its phase and starts the next. */
  #next(stage: ProbeStage, phase: keyof ProbePhases): void {
    const now = performance.now()
    this.#result.phases[phase] += now - this.#mark
    this.#mark = now
    this.#result.stage = stage
  }

  #ready(): void {
    const socket = this.#socket as Socket
    this.#result.connected = true
    this.#result.remoteAddress = socket.remoteAddress
    const { send, expectation } = this.#config
    if (expectation === undefined) {
      if (send === undefined) return this.#finish('connected')
      // Up once the kernel took the bytes; nothing is read back.
      socket.write(send, (err) => err == null && this.#finish('connected'))
      return
    }
    this.#result.stage = 'expect'
    this.#decoder = new StringDecoder('utf8')
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('end', () => {
      this.#result.text += (this.#decoder as StringDecoder).end()
      this.#finish(expectation.test(this.#result.text) ? 'matched' : 'closed')
    })
    this.#timer = setTimeout(() => this.#finish('deadline'), Math.max(0, this.#expectUntil - Date.now()))
    if (send !== undefined) socket.write(send)
  }

  #onData(chunk: Buffer): void {
    if (this.#done) return
    const result = this.#result
    const room = this.#config.maxReadBytes - result.bytes
    const take = chunk.length > room ? chunk.subarray(0, room) : chunk
    result.bytes += take.length
    result.text += (this.#decoder as StringDecoder).write(take)
    if ((this.#config.expectation as NonNullable<CompiledTcpConfig['expectation']>).test(result.text)) this.#finish('matched')
    else if (result.bytes >= this.#config.maxReadBytes) this.#finish('limit')
  }

  #finish(end: ProbeEnd, error?: Error): void {
    if (this.#done) return
    this.#done = true
    const result = this.#result
    const elapsed = performance.now() - this.#mark
    switch (result.stage) {
      case 'dns':
      case 'connect':
      case 'tls':
      case 'expect':
        result.phases[result.stage] += elapsed
        break
      case 'send':
        break // only without an expectation, waiting for the write: not a phase
    }
    result.end = end
    result.error = error
    clearTimeout(this.#timer)
    this.#signal.removeEventListener('abort', this)
    this.#socket?.destroy()
    this.#resolve(result)
  }
}
