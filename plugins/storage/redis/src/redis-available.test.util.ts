// Test-only (the `.test.` in the name keeps it out of the published files):
// the skip rule shared by every test file that needs a real Redis.
import { connect } from 'node:net'
import t from 'tap'

export const REDIS_HOST = '127.0.0.1'
export const REDIS_PORT = 6379
export const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`

/** True when something on 127.0.0.1:6379 answers PING with +PONG within a second. */
export function probeRedis(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS_PORT, REDIS_HOST)
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1')
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}

/**
 * Call at the top of a test file, before any test: true when Redis is there.
 * Otherwise the whole file is skipped with one line, or fails under CI=true,
 * where a missing Redis is a broken pipeline, not a laptop without it.
 */
export async function requireRedis(): Promise<boolean> {
  if (await probeRedis()) return true
  const where = `${REDIS_HOST}:${REDIS_PORT}`
  if (process.env.CI === 'true') t.fail(`Redis not reachable on ${where} and CI=true: the redis tests must run in CI`)
  else t.plan(0, `Redis not reachable on ${where}: skipping redis tests (CI=true makes this a failure)`)
  return false
}
