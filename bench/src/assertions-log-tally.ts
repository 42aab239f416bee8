import type { Logger } from '@vedette/sdk'

/**
 * A logger that counts the engine's warnings and errors by message instead of
 * printing each: an overloaded run logs thousands of identical lines, and the
 * count is what the report needs. The first of each message goes to stderr.
 */
export class LogTally {
  readonly counts = new Map<string, number>()

  readonly logger: Logger = this.#make()

  #make(): Logger {
    const note = (level: string) => (obj: unknown, msg?: string): void => {
      const text = `${level}: ${msg ?? (typeof obj === 'string' ? obj : JSON.stringify(obj))}`
      const n = (this.counts.get(text) ?? 0) + 1
      this.counts.set(text, n)
      if (n === 1) process.stderr.write(`  [engine log] ${text}\n`)
    }
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn: note('warn'), error: note('error'), child: () => logger }
    return logger
  }

  /** `none`, or `N × level: message` for each distinct message. */
  describe(): string {
    if (this.counts.size === 0) return 'none'
    return [...this.counts].map(([text, n]) => `${n.toLocaleString('en-US')} × ${text}`).join('; ')
  }
}
