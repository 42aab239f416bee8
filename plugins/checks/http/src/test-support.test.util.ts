// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { CheckOutcome } from '@vedette/sdk'
import httpCheck from './index.js'
import type { HttpCheckConfig } from './index.js'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void

export interface TestServer {
  base: string
  port: number
  connections(): number
}

/** Serves `handler` on 127.0.0.1:0, counting connections; closed when `t` ends. */
export async function serve(t: Test, handler: Handler, server: Server = createServer()): Promise<TestServer> {
  let connections = 0
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => handler(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  const scheme = 'setSecureContext' in server ? 'https' : 'http'
  return { base: `${scheme}://127.0.0.1:${port}`, port, connections: () => connections }
}

/** A port nothing listens on: bound, then closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Runs the check in this thread with a deadline like the runtime's. For
 * variations of a scenario already covered through `runCheck`: a worker
 * thread per run would make these files slow for no extra coverage.
 */
export async function runDirect(config: HttpCheckConfig, timeoutMs = 5000): Promise<CheckOutcome> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs)
  try {
    return await httpCheck.run({
      monitor: { tenantId: 'test', id: 'test', name: 'test', tags: [] },
      config,
      signal: controller.signal,
      timeoutMs,
      deadline: Date.now() + timeoutMs
    })
  } finally {
    clearTimeout(timer)
  }
}

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  vedette: { observations: Record<string, string> }
}

/** Every observation a run returned is declared, with its type, in `vedette.observations`. */
export function assertDeclared(t: Test, observations: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(observations ?? {})) {
    const declared = manifest.vedette.observations[name]
    const actual = Array.isArray(value) ? 'array' : value === null ? 'any' : typeof value
    t.ok(declared === actual || declared === 'any', `observation ${name} (${actual}) declared as ${String(declared)}`)
  }
}
