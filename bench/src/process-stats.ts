import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fmt } from './stats.js'

/* How busy a process and the machine were, and where a profiled process spent its time. */

export /**
 * CPU seconds (user + system, all threads) of a process, from /proc; NaN where there is no /proc.
 * With `tid`, of that one thread (`tid === pid` is the main thread).
 */
function cpuSeconds(pid: number, tid?: number): number {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat; the share busy tells whether the cores were saturated. */
export function machineJiffies(): { busy: number; total: number } {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? []
    const total = cpu.reduce((a, b) => a + b, 0)
    // idle and iowait are the 4th and 5th numbers.
    return { busy: total - (cpu[3] ?? 0) - (cpu[4] ?? 0), total }
  } catch {
    return { busy: Number.NaN, total: Number.NaN }
  }
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>
  samples: number[]
  timeDeltas: number[]
  startTime: number
}

/** Monotonic µs, the clock V8 stamps profile samples with (CLOCK_MONOTONIC, as process.hrtime). */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n)

/**
 * The main thread's profile of the server, restricted to a time window: the
 * functions with the most self time, so a missed target says where it went.
 */
export function topFunctions(dir: string, pid: number, window: [number, number], n = 12): string {
  const file = readdirSync(dir).find((f) => f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile'))
  if (file === undefined) return '  (no main-thread profile found)'
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const self = new Map<string, number>()
  let t = profile.startTime
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0
    if (t < window[0] || t > window[1]) continue
    const f = frames.get(profile.samples[i] as number)
    if (f === undefined) continue
    const where = f.url === '' ? '' : ` ${f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '~/').replace(/^.*\/work\/main\//, '')}:${f.lineNumber + 1}`
    const key = `${f.functionName || '(anonymous)'}${where}`
    self.set(key, (self.get(key) ?? 0) + 1)
    total++
  }
  if (total === 0) return '  (no samples in the window)'
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${fmt((v / total) * 100, 1).padStart(5)} %  ${k}`)
    .join('\n')
}
