import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'

/**
 * The benchmarks' keep-alive HTTP target (target-server.js) in its own process, so its CPU is not the engine's.
 * `args` go to the target (e.g. `['--json-bytes', '20480']` for a JSON body instead of `ok`).
 */
export async function startTarget(args: readonly string[] = []): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(new URL('./target-server.js', import.meta.url), [...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (b: Buffer) => resolve((JSON.parse(b.toString()) as { port: number }).port))
    child.once('error', reject)
  })
  return { port, child }
}
