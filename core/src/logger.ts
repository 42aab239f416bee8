import { pino } from 'pino'
import type { Logger as PinoLogger, LevelWithSilent } from 'pino'

export type { PinoLogger }

export interface LoggerOptions {
  level?: LevelWithSilent
  /** Human-readable output; defaults to true when stdout is a terminal. */
  pretty?: boolean
}

/**
 * The one logger of a process: JSON lines for machines, pino-pretty when a
 * person is watching a terminal. Secrets are redacted by path so that a
 * plugin logging its config cannot leak them.
 */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
  const pretty = options.pretty ?? process.stdout.isTTY === true
  return pino({
    level: options.level ?? 'info',
    base: { pid: process.pid },
    redact: {
      paths: [
        'config.password',
        'config.token',
        'config.headers.authorization',
        'config.headers.Authorization',
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        '*.password',
        '*.secret',
        '*.apiKey'
      ],
      censor: '[redacted]'
    },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {})
  })
}
