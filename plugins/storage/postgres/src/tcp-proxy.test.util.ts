import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, for outage tests: `cut()`
 * kills every connection and stops listening (clients see resets, then
 * refused connections, as when a database host goes away); `restore()`
 * listens again on the same port.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number }
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined
  #port = 0

  private constructor(host: string, port: number) {
    this.#target = { host, port }
  }

  static async start(host: string, port: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(host, port)
    await proxy.restore()
    return proxy
  }

  get port(): number {
    return this.#port
  }

  get up(): boolean {
    return this.#server !== undefined
  }

  /** Listens (again) on the proxy's port; the first call picks a free one. */
  async restore(): Promise<void> {
    if (this.#server !== undefined) return
    const server = createServer((client) => this.#pipe(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: '127.0.0.1', port: this.#port }, () => resolve())
    })
    this.#port = (server.address() as { port: number }).port
    this.#server = server
  }

  /** Destroys every open connection and stops listening. */
  async cut(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const socket of this.#sockets) socket.destroy()
    this.#sockets.clear()
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  close(): Promise<void> {
    return this.cut()
  }

  #pipe(client: Socket): void {
    const upstream = createConnection(this.#target)
    for (const s of [client, upstream]) {
      this.#sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => {
        this.#sockets.delete(s)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  }
}
