// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { NAGIOS_PLUGIN_DIR } from './config.js'

/** The package directory, as `runCheck` takes it. */
export const plugin = fileURLToPath(new URL('..', import.meta.url))

const NEEDED = ['check_dummy', 'check_tcp', 'check_http']

/**
 * `false` when the Debian plugins are installed; otherwise the reason to skip.
 * In CI (`CI=true`) a missing binary fails the run instead: the suite must
 * not go green there by testing nothing.
 */
export function missingPlugins(t: Test): string | false {
  const missing = NEEDED.filter((name) => !existsSync(`${NAGIOS_PLUGIN_DIR}/${name}`))
  if (missing.length === 0) return false
  const reason = `Nagios plugins not installed (${missing.join(', ')} missing in ${NAGIOS_PLUGIN_DIR}): apt-get install monitoring-plugins-basic monitoring-plugins-standard`
  if (process.env.CI === 'true') t.fail(reason)
  else t.comment(`skipping real-plugin tests: ${reason}`)
  return reason
}

/** A node:http server on 127.0.0.1 answering every request 200 "hello"; closed when `t` ends. */
export async function serveHttp(t: Test): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('hello')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    server.close()
  })
  return (server.address() as AddressInfo).port
}

/** A TCP server on 127.0.0.1 that accepts and holds connections; closed when `t` ends. */
export async function serveTcp(t: Test): Promise<number> {
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
}
