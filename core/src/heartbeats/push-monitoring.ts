import type { Logger, PushPing, PushPingKind, PushState, Storage } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'
import { HeartbeatTokenUnknownError, NotPushMonitorError } from './errors.js'
import { PushPings } from './push-pings.js'
import { PushTokens } from './push-tokens.js'

/** Bytes of a ping's body (the job's log) that are kept; the rest is cut. */
export const PING_BODY_KEPT = 10_000

export interface PushMonitoringDeps {
  storage: Pick<Storage, 'putDocument' | 'getDocument' | 'deleteDocument'>
  getMonitor(id: string, tenantId: string): Monitor | undefined
  /** True when the monitor's check plugin is push-based. */
  isPush(type: string): boolean
  /** Starts a run of the monitor now; false when one is already in flight. */
  startRun(id: string, tenantId: string): boolean
  isPaused(id: string, tenantId: string): boolean
  logger: Logger
}

export interface PingInput {
  kind: PushPingKind
  exitCode?: number
  runId?: string
  body?: Buffer | string
  remoteAddress?: string
  userAgent?: string
}

/**
 * Push (heartbeat) monitoring in the engine: a ping on a token URL is stored,
 * then the monitor is judged at once (a `/fail` goes down now, not at the next
 * interval); the scheduler keeps judging it every interval so a ping that
 * never comes is noticed.
 */
export class PushMonitoring {
  readonly tokens: PushTokens
  readonly pings: PushPings
  readonly #deps: PushMonitoringDeps
  /** Monitors with a ping not judged yet, because a run was in flight when it came. */
  readonly #dirty = new Set<string>()

  constructor(deps: PushMonitoringDeps) {
    this.#deps = deps
    this.tokens = new PushTokens(deps.storage)
    this.pings = new PushPings(deps.storage)
  }

  /** Records a ping for the token's monitor and judges it; 404 for an unknown token. */
  async ping(token: string, input: PingInput, now = Date.now()): Promise<{ tenantId: string; monitorId: string }> {
    const target = await this.tokens.resolve(token, now)
    const monitor = target && this.#deps.getMonitor(target.monitorId, target.tenantId)
    if (target === undefined || monitor === undefined || !this.#deps.isPush(monitor.type)) throw new HeartbeatTokenUnknownError()
    await this.pings.record(target.tenantId, target.monitorId, toPing(input, now))
    if (!this.#deps.isPaused(monitor.id, monitor.tenantId)) this.#judge(monitor)
    return target
  }

  /** What a run of a push monitor gets (`ctx.pushes`). */
  state(monitor: Monitor, now = Date.now()): Promise<PushState> {
    return this.pings.state(monitor.tenantId, monitor.id, now)
  }

  /** A new token for a push monitor (the old one stops working). */
  async rotate(id: string, tenantId: string): Promise<string> {
    const monitor = this.#deps.getMonitor(id, tenantId)
    if (monitor !== undefined && !this.#deps.isPush(monitor.type)) throw new NotPushMonitorError(id, monitor.type)
    return this.tokens.rotate(tenantId, id)
  }

  /** Forgets a deleted monitor's token and pings. */
  async forget(tenantId: string, monitorId: string): Promise<void> {
    await this.tokens.revoke(tenantId, monitorId)
    await this.pings.remove(tenantId, monitorId)
  }

  /** Runs the monitor now; if a run is in flight, once more right after it, so no ping goes unjudged. */
  #judge(monitor: Monitor): void {
    const key = `${monitor.tenantId}/${monitor.id}`
    if (this.#dirty.has(key)) return
    const attempt = (tries: number): void => {
      if (this.#deps.startRun(monitor.id, monitor.tenantId) || tries >= 200) {
        this.#dirty.delete(key)
        return
      }
      // The run in flight may have read the pings before this one was stored.
      this.#dirty.add(key)
      setTimeout(() => attempt(tries + 1), 50).unref()
    }
    attempt(0)
  }
}

function toPing(input: PingInput, now: number): PushPing {
  const ping: PushPing = { at: now, kind: input.kind }
  if (input.exitCode !== undefined) ping.exitCode = input.exitCode
  if (input.runId !== undefined && input.runId !== '') ping.runId = input.runId
  if (input.remoteAddress !== undefined) ping.remoteAddress = input.remoteAddress
  if (input.userAgent !== undefined) ping.userAgent = input.userAgent.slice(0, 200)
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body
  if (body !== undefined && body.length > 0) {
    ping.body = body.subarray(0, PING_BODY_KEPT).toString('utf8')
    if (body.length > PING_BODY_KEPT) ping.bodyTruncated = true
  }
  return ping
}
