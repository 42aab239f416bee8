// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { CheckOutcome } from '@vedette/sdk'
import tcpCheck from './index.js'
import type { TcpCheckConfig } from './index.js'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

/**
 * Listens on 127.0.0.1:0 and hands each accepted socket to `onSocket`
 * (`secureConnection` for a TLS server); everything is closed when `t` ends.
 */
export async function serveTcp(t: Test, onSocket: (socket: Socket) => void, server: Server = createServer()): Promise<number> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {}) // the check closes abruptly by design
  })
  server.on('setSecureContext' in server ? 'secureConnection' : 'connection', onSocket)
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
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
 * Runs the check in this thread with a deadline like the runtime's, for
 * variations of scenarios already covered through `runCheck`.
 */
export async function runDirect(config: TcpCheckConfig, timeoutMs = 5000, signal?: AbortSignal): Promise<CheckOutcome> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs)
  signal?.addEventListener('abort', () => controller.abort(signal.reason))
  try {
    return await tcpCheck.run({
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
