// Test-only helpers (the `.test.` in the name keeps them out of the published files).
import { randomBytes } from 'node:crypto'
import type { ClusterMessage, Logger, PluginContext } from '@vedette/sdk'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import plugin, { type RedisCoordinationConfig, type RedisCoordinator } from './index.js'
import { REDIS_URL } from './redis-available.test.util.js'

export interface LogLine {
  level: string
  obj: unknown
  msg: string | undefined
}

/** A logger that keeps every line, to assert on what an operator would read. */
export function capturingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger }
  return logger
}

export function pluginContext(logger: Logger = capturingLogger([])): PluginContext {
  return { name: '@vedette/storage-redis', engineVersion: '0.1.0', dataDir: '/tmp', resolvePath: (p) => p, logger }
}

/** A plain client for checking what the plugin wrote, closed when `t` ends. */
export function adminClient(t: Test, url = REDIS_URL): Redis {
  const client = new Redis(url, { lazyConnect: false })
  t.teardown(() => client.quit().then(() => {}, () => client.disconnect()))
  return client
}

/** Deletes every key under `prefix` (SCAN MATCH, so it never blocks Redis like KEYS). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0
  for await (const keys of client.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await client.del(...keys)
  }
  return deleted
}

/** A random prefix for one test (hex, so no glob characters); its keys are deleted when the test ends. */
export function testPrefix(t: Test): string {
  const prefix = `vdt-test-${randomBytes(6).toString('hex')}:`
  t.teardown(async () => {
    const client = new Redis(REDIS_URL)
    try {
      await deleteKeys(client, prefix)
    } finally {
      await client.quit()
    }
  })
  return prefix
}

/** Creates and starts a coordinator through the plugin's `create`, stopped when `t` ends. */
export async function startCoordinator(t: Test, config: RedisCoordinationConfig, logger?: Logger): Promise<RedisCoordinator> {
  const coordinator = (await plugin.create(config, pluginContext(logger))) as RedisCoordinator
  t.teardown(() => coordinator.stop())
  await coordinator.start()
  return coordinator
}

/** Polls `check` every 20 ms until it holds; fails the wait (not a timing assertion) after `limitMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs
  for (;;) {
    if (await check()) return
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Collects messages from a subscription; `next()` resolves with the next one not yet taken. */
export class Inbox {
  readonly messages: ClusterMessage[] = []
  #taken = 0

  readonly handler = (message: ClusterMessage): void => {
    this.messages.push(message)
  }

  async next(what = 'a message'): Promise<ClusterMessage> {
    await waitFor(what, () => this.messages.length > this.#taken)
    return this.messages[this.#taken++] as ClusterMessage
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
