/** What a pinged URL said about the job: done, started, failed, or an exit code. */
export type PushPingKind = 'success' | 'start' | 'fail' | 'exit'

/** One ping received on a push (heartbeat) monitor's token URL. */
export interface PushPing {
  /** Epoch ms the engine received it. */
  at: number
  kind: PushPingKind
  /** With `exit`: the job's exit code (0 counts as success). */
  exitCode?: number
  /** The `rid` query parameter: pairs a `start` with its end when runs overlap. */
  runId?: string
  /** The request body (a log excerpt), cut to the engine's limit. */
  body?: string
  /** True when `body` was cut. */
  bodyTruncated?: boolean
  remoteAddress?: string
  userAgent?: string
}

/**
 * What a push-based check (manifest `push: true`) gets instead of probing a
 * target: the pings received on its token URL, newest first (the engine keeps
 * the last 50), and since when pings are expected (the monitor's creation,
 * token rotation or resume), so a monitor that never got a ping can still be late.
 */
export interface PushState {
  pings: PushPing[]
  /** Epoch ms pings are expected from. */
  since: number
  /** Epoch ms the evaluation is for (the run's start). */
  now: number
}
