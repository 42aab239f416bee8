/**
 * Who used the machine during a measured window: each node (CPU of all its
 * threads, RSS sampled every second), the target, PostgreSQL and Redis (all
 * their processes, found by name in /proc: on a shared machine this includes
 * other users of the same servers), and how busy the whole machine was.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { cpuSeconds, machineJiffies } from './process-stats.js'

/** Resident set size in bytes from /proc; NaN where there is none. */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** CPU seconds so far of every process whose name (comm) is `name`, per pid. */
function cpuByName(name: string): Map<number, number> {
  const out = new Map<number, number>()
  let pids: string[] = []
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return out
  }
  for (const p of pids) {
    try {
      if (readFileSync(`/proc/${p}/comm`, 'utf8').trim() === name) out.set(Number(p), cpuSeconds(Number(p)))
    } catch {
      // gone since the listing
    }
  }
  return out
}

export interface Usage {
  seconds: number
  /** Per watched pid: CPU in % of one core, and the largest RSS sampled. */
  processes: Map<number, { cpuPct: number; rssMaxBytes: number }>
  postgresCpuPct: number
  redisCpuPct: number
  machineBusyPct: number
}

/** Starts watching; `stop()` returns what was used since. */
export function watchUsage(pids: readonly number[]): { stop(): Usage } {
  const t0 = Date.now()
  const cpu0 = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]))
  const rss = new Map(pids.map((pid) => [pid, rssBytes(pid)]))
  const pg0 = cpuByName('postgres')
  const redis0 = cpuByName('redis-server')
  const m0 = machineJiffies()
  const timer = setInterval(() => {
    for (const pid of pids) rss.set(pid, Math.max(rss.get(pid) ?? 0, rssBytes(pid)))
  }, 1000)
  const delta = (before: Map<number, number>, after: Map<number, number>): number => {
    let sum = 0
    // A process started during the window (a new backend) counts whole.
    for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0)
    return sum
  }
  return {
    stop: () => {
      clearInterval(timer)
      const seconds = (Date.now() - t0) / 1000
      const m1 = machineJiffies()
      const processes = new Map(pids.map((pid) => [pid, { cpuPct: ((cpuSeconds(pid) - (cpu0.get(pid) ?? Number.NaN)) / seconds) * 100, rssMaxBytes: rss.get(pid) ?? Number.NaN }]))
      return {
        seconds,
        processes,
        postgresCpuPct: (delta(pg0, cpuByName('postgres')) / seconds) * 100,
        redisCpuPct: (delta(redis0, cpuByName('redis-server')) / seconds) * 100,
        machineBusyPct: ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100
      }
    }
  }
}
