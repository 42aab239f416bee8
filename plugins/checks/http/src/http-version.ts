import type { Socket } from 'node:net'

const STATUS_LINE = /^HTTP\/(\d)\.(\d) /

/**
 * Reports the HTTP version of the first status line read from an HTTP/1
 * socket: `1.1`, or `1.0` from an old server or proxy. undici parses the
 * status line but does not expose its version, so the first chunk undici
 * reads (it pulls with `socket.read()`) is looked at on its way past, and the
 * socket's own `read` restored at once. Should undici ever read differently,
 * `found` is simply never called and the caller's default stands.
 *
 * @example
 * watchStatusLine(socket, (v) => (result.httpVersion = v))
 */
export function watchStatusLine(socket: Socket, found: (version: string) => void): void {
  const read = socket.read
  const peek = function (this: Socket, size?: number): unknown {
    const chunk: unknown = read.call(this, size)
    if (chunk !== null) {
      // Back to the prototype's method: only the first chunk is looked at.
      delete (socket as { read?: unknown }).read
      const m = Buffer.isBuffer(chunk) ? STATUS_LINE.exec(chunk.toString('latin1', 0, 12)) : null
      if (m !== null) found(`${m[1]}.${m[2]}`)
    }
    return chunk
  }
  socket.read = peek as Socket['read']
}
