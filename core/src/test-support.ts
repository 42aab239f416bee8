import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** Directory of the fixture plugins used by the core's tests. */
export const FIXTURE_PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url))

/** A port that was free a moment ago, for servers a test starts in another process. */
export async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as AddressInfo).port
  await new Promise((r) => srv.close(r))
  return port
}
