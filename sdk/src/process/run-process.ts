import { spawn } from 'node:child_process'

export interface RunProcessOptions {
  args: readonly string[]
  env: Record<string, string>
  cwd?: string | undefined
  /** Aborting it kills the whole process group with SIGKILL. */
  signal: AbortSignal
  /** Most bytes kept of each of stdout and stderr; the rest is drained and dropped. */
  maxOutputBytes: number
}

interface Captured {
  stdout: string
  stderr: string
  /** Whether either stream went past `maxOutputBytes`. */
  truncated: boolean
}

export type ProcessResult =
  | ({ end: 'exited'; exitCode: number | null; exitSignal: NodeJS.Signals | null } & Captured)
  | ({ end: 'aborted' } & Captured)
  | { end: 'error'; error: NodeJS.ErrnoException }

// Process groups still running, killed if this process exits first (the
// engine's process pool recycles or stops the child that runs this check).
const live = new Set<number>()
let exitHookInstalled = false

/**
 * Runs `file` without a shell, in its own process group, and collects its
 * bounded output, for checks that wrap external commands (ping, Nagios
 * plugins). On abort the whole group gets SIGKILL: such commands are often
 * shell scripts whose children would otherwise outlive them. When the
 * leader exits, stragglers left in its group are killed too, or a background
 * child holding the pipes open would keep the run waiting until the deadline.
 *
 * @example
 * const r = await runProcess('/usr/lib/nagios/plugins/check_dummy', { args: ['0', 'ok'], env: {}, signal, maxOutputBytes: 65536 })
 */
export function runProcess(file: string, options: RunProcessOptions): Promise<ProcessResult> {
  const { signal } = options
  if (signal.aborted) return Promise.resolve({ end: 'aborted', stdout: '', stderr: '', truncated: false })
  return new Promise((resolve) => {
    const child = spawn(file, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true
    })
    const pid = child.pid
    const stdout = collector(options.maxOutputBytes)
    const stderr = collector(options.maxOutputBytes)
    child.stdout.on('data', stdout.push)
    child.stderr.on('data', stderr.push)
    let aborted = false
    let settled = false
    const killGroup = (): void => {
      if (pid === undefined) return
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // ESRCH: the group is already gone.
      }
    }
    const onAbort = (): void => {
      aborted = true
      killGroup()
    }
    const finish = (result: ProcessResult): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      if (pid !== undefined) live.delete(pid)
      resolve(result)
    }
    if (pid !== undefined) {
      live.add(pid)
      installExitHook()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    // ENOENT, EACCES, a bad cwd: nothing ran.
    child.on('error', (error) => finish({ end: 'error', error }))
    child.on('exit', killGroup)
    child.on('close', (exitCode, exitSignal) => {
      const captured = { stdout: stdout.text(), stderr: stderr.text(), truncated: stdout.truncated() || stderr.truncated() }
      finish(aborted ? { end: 'aborted', ...captured } : { end: 'exited', exitCode, exitSignal, ...captured })
    })
  })
}

function collector(max: number): { push: (chunk: Buffer) => void; text: () => string; truncated: () => boolean } {
  const chunks: Buffer[] = []
  let kept = 0
  let dropped = false
  return {
    push: (chunk) => {
      if (kept >= max) {
        dropped = true
        return
      }
      const room = max - kept
      if (chunk.length > room) dropped = true
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk
      chunks.push(part)
      kept += part.length
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    truncated: () => dropped
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })
}
