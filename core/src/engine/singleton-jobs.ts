import cron from 'node-cron'
import type { ScheduledTask } from 'node-cron'
import type { Logger, StorageInstance } from '@vedette/sdk'

/**
 * Jobs that must run on one node at a time: the storage's retention and
 * rollups, every minute (node-cron). In a cluster only the leader runs them;
 * a single node is always its own leader.
 */
export class SingletonJobs {
  readonly #storage: StorageInstance
  readonly #logger: Logger
  readonly #isLeader: () => boolean
  #task: ScheduledTask | undefined
  #running: Promise<void> | undefined

  constructor(storage: StorageInstance, logger: Logger, isLeader: () => boolean) {
    this.#storage = storage
    this.#logger = logger.child({ component: 'jobs' })
    this.#isLeader = isLeader
  }

  start(expression = '* * * * *'): void {
    this.#task = cron.schedule(expression, () => {
      if (this.#running !== undefined || !this.#isLeader()) return
      this.#running = this.runRetention().finally(() => (this.#running = undefined))
    })
  }

  async stop(): Promise<void> {
    await this.#task?.stop()
    await this.#task?.destroy()
    await this.#running
  }

  /** One retention and rollup pass (exposed for `vedette` operators and tests). */
  async runRetention(now = Date.now()): Promise<void> {
    try {
      const report = await this.#storage.maintain(now)
      const rolled = report.rolledUp.minute + report.rolledUp.hour + report.rolledUp.day
      const deleted = report.deleted.raw + report.deleted.minute + report.deleted.hour + report.deleted.day
      if (rolled + deleted > 0) this.#logger.info({ ...report }, `retention: ${rolled} rollup rows written, ${deleted} rows past retention deleted in ${report.durationMs} ms`)
    } catch (err) {
      this.#logger.error({ err }, 'retention and rollups failed; they run again next minute')
    }
  }
}
