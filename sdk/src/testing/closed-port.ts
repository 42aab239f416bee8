import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * A port nothing listens on, for "connection refused" tests: bound to a free
 * port, then closed again. Another process could take it in between, which
 * on a test machine is rare enough.
 *
 * @example
 * const port = await closedPort()
 * const result = await runCheck('./', { host: '127.0.0.1', port })
 * t.equal(result.observations?.errorCode, 'ECONNREFUSED')
 */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
