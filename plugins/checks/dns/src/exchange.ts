import dgram from 'node:dgram'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import dnsPacket from 'dns-packet'
import type { DecodedPacket, Packet } from 'dns-packet'
import type { DnsTransport } from './config.js'

/** A decoded response; dns-packet sets `rcode` though its typings omit it. */
export type DnsResponse = DecodedPacket & { rcode?: string }

/** How an exchange ended. */
export type ExchangeEnd =
  | 'answered' // a response with our id arrived
  | 'deadline' // no response before `until`
  | 'aborted' // the run's signal fired
  | 'error' // a socket error, or a TCP peer that closed or sent garbage

export interface ExchangeResult {
  end: ExchangeEnd
  response: DnsResponse | undefined
  error: Error | undefined
  /** Send → response (for TCP, from the connect). */
  ms: number
}

export interface ExchangeTarget {
  server: string
  port: number
  transport: DnsTransport
}

/**
 * UDP resends the same query (same id) once when nothing came back after
 * this long and there is time for it: one lost datagram should not make a
 * run down. Stub resolvers do the same (glibc's `timeout:` option, 5 s).
 */
export const UDP_RESEND_MS = 1000

/**
 * Sends `query` to the server and waits for the response with its id until
 * `until` (epoch ms), the signal aborts, or the socket fails. The socket is
 * closed whatever happens.
 */
export function exchange(target: ExchangeTarget, query: Packet, signal: AbortSignal, until: number): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const started = performance.now()
    let timer: NodeJS.Timeout | undefined
    let resend: NodeJS.Timeout | undefined
    let close = (): void => {}
    let done = false
    const finish = (end: ExchangeEnd, response?: DnsResponse, error?: Error): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      clearTimeout(resend)
      signal.removeEventListener('abort', onAbort)
      close()
      resolve({ end, response, error, ms: performance.now() - started })
    }
    const onAbort = (): void => finish('aborted', undefined, signal.reason as Error)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort)
    timer = setTimeout(() => finish('deadline'), Math.max(0, until - Date.now()))
    const onResponse = (response: DnsResponse): void => finish('answered', response)
    const onError = (err: Error): void => finish('error', undefined, err)
    if (target.transport === 'udp') {
      const socket = dgram.createSocket(net.isIPv6(target.server) ? 'udp6' : 'udp4')
      close = () => socket.close()
      const bytes = dnsPacket.encode(query)
      // connect() makes the kernel drop datagrams from anyone but the server
      // and report an ICMP port-unreachable as ECONNREFUSED.
      socket.on('error', onError)
      socket.on('message', (msg) => {
        const response = decodeResponse(msg, query.id)
        // Not ours (a late answer to an earlier run, garbage): keep waiting.
        if (response !== undefined) onResponse(response)
      })
      socket.connect(target.port, target.server, () => {
        if (done) return
        socket.send(bytes)
        if (until - Date.now() > UDP_RESEND_MS * 1.5) resend = setTimeout(() => socket.send(bytes), UDP_RESEND_MS)
      })
      return
    }
    const socket = net.connect({ host: target.server, port: target.port })
    close = () => socket.destroy()
    let buffered = Buffer.alloc(0)
    // The listener stays for the socket's life: an error after finish must not go uncaught.
    socket.on('error', onError)
    socket.on('close', () => onError(new Error('connection closed before a response')))
    socket.once('connect', () => socket.write(dnsPacket.streamEncode(query)))
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      // RFC 1035 4.2.2: each message is preceded by its length, two bytes.
      if (buffered.length < 2) return
      const length = buffered.readUInt16BE(0)
      if (buffered.length < 2 + length) return
      const response = decodeResponse(buffered.subarray(2, 2 + length), query.id)
      if (response === undefined) onError(new Error('the server sent a malformed response or one to another query'))
      else onResponse(response)
    })
  })
}

function decodeResponse(bytes: Buffer, id: number | undefined): DnsResponse | undefined {
  let response: DnsResponse
  try {
    response = dnsPacket.decode(bytes) as DnsResponse
  } catch {
    return undefined
  }
  return response.id === id && response.flag_qr ? response : undefined
}
