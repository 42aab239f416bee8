// Test-only: a TCP proxy in front of the real Redis, so a test can take
// "Redis" away and bring it back without touching the shared server.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { Test } from 'tap'

export class TcpProxy {
  readonly #target: { host: string; port: number }
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined
  port = 0

  constructor(targetHost: string, targetPort: number) {
    this.#target = { host: targetHost, port: targetPort }
  }

  /** Listens (on the same port as before after a `down()`), forwarding every connection to the target. */
  async up(): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host)
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('close', () => this.#sockets.delete(s))
        s.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', resolve)
    })
    this.port = (server.address() as AddressInfo).port
    this.#server = server
    return this
  }

  /** Cuts every connection and stops listening: to a client, Redis is gone. */
  async down(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const s of this.#sockets) s.destroy()
    if (server) await new Promise((resolve) => server.close(resolve))
  }

  static async start(t: Test, targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = await new TcpProxy(targetHost, targetPort).up()
    t.teardown(() => proxy.down())
    return proxy
  }
}
