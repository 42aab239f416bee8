import type { Logger, StateChangeEvent } from '@vedette/sdk'
import type { Monitor } from '../config/types.js'

export interface ActiveMaintenance {
  id: string
  mode: 'suppress' | 'pause'
  /** When the current opening ends (epoch ms). */
  end: number
}

export interface MaintenanceControlDeps {
  listMonitors(): Monitor[]
  /** The window covering a monitor now, if any (the alerting config's maintenance windows). */
  windowFor(monitor: Monitor, now: number): ActiveMaintenance | undefined
  /** True when the config has any window at all (a tick with none is free). */
  hasWindows(): boolean
  pause(monitor: Monitor): void
  resume(monitor: Monitor): void
  /** Moves the kept status and records the transition. */
  setStatus(monitor: Monitor, status: 'maintenance' | 'pending', reason: string): Promise<void>
  logger: Logger
}

/**
 * Maintenance windows applied to monitors, once a second: a `pause` window
 * stops a monitor's checks and gives it the status `maintenance` (back to
 * `pending` and checking when it closes); a `suppress` window keeps it
 * checking and only holds back its alerts (the alert engine does that) —
 * both show in the status API through `activeFor`.
 */
export class MaintenanceControl {
  readonly #d: MaintenanceControlDeps
  readonly #active = new Map<string, ActiveMaintenance>()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined

  constructor(deps: MaintenanceControlDeps) {
    this.#d = deps
  }

  /** The window a monitor is in, as of the last tick. */
  activeFor(tenantId: string, id: string): ActiveMaintenance | undefined {
    return this.#active.get(`${tenantId}\0${id}`)
  }

  start(everyMs = 1000): void {
    this.#timer = setInterval(() => {
      if (this.#running !== undefined) return
      this.#running = this.tick()
        .catch((err) => this.#d.logger.error({ err }, 'applying maintenance windows failed'))
        .finally(() => (this.#running = undefined))
    }, everyMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
  }

  async tick(now = Date.now()): Promise<void> {
    if (!this.#d.hasWindows() && this.#active.size === 0) return
    for (const monitor of this.#d.listMonitors()) {
      const key = `${monitor.tenantId}\0${monitor.id}`
      const before = this.#active.get(key)
      const win = this.#d.hasWindows() ? this.#d.windowFor(monitor, now) : undefined
      if (win !== undefined) this.#active.set(key, win)
      else this.#active.delete(key)
      const wasPaused = before?.mode === 'pause'
      const isPaused = win?.mode === 'pause'
      if (isPaused && !wasPaused) {
        this.#d.pause(monitor)
        await this.#d.setStatus(monitor, 'maintenance', `maintenance window ${win.id}: checks paused until ${new Date(win.end).toISOString()}`)
      } else if (!isPaused && wasPaused) {
        this.#d.resume(monitor)
        await this.#d.setStatus(monitor, 'pending', `maintenance window ${before.id} ended`)
      }
    }
  }
}

export type { StateChangeEvent }
