#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { isVedetteError } from '@vedette/sdk'
import { ENGINE_VERSION } from '../version.js'
import { startCommand } from './start-command.js'
import { validateCommand } from './validate-command.js'
import { pluginsCommand } from './plugins-command.js'
import { keysCommand } from './keys-command.js'

const HELP = `vedette ${ENGINE_VERSION} — API and uptime monitoring engine

Usage:
  vedette start [--config FILE] [--watch] [--port N] [--host H] [--data-dir DIR] [--log-level LEVEL]
  vedette validate FILE
  vedette plugins [--config FILE]
  vedette keys create|list|revoke ...  (API keys; vedette keys --help)
  vedette --version | --help

Without --config, start runs the bundled example config (it monitors itself).
Logs are JSON lines, or human-readable when stdout is a terminal (--log-format json|pretty).
Docs: docs/architecture.md, docs/config.md, docs/errors.md`

const options = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  watch: { type: 'boolean', short: 'w' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' }
} as const

export type CliFlags = {
  config?: string
  port?: string
  host?: string
  'data-dir'?: string
  'log-level'?: string
  'log-format'?: string
  watch?: boolean
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keys') return keysCommand(argv.slice(1)) // keys has flags of its own (--name, --role, ...)
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    process.stderr.write(`vedette: ${(err as Error).message}\n\n${HELP}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.version) {
    process.stdout.write(`${ENGINE_VERSION}\n`)
    return 0
  }
  const [command, ...rest] = positionals
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${HELP}\n`)
    return command === undefined && !values.help ? 2 : 0
  }
  switch (command) {
    case 'start':
      return startCommand(values)
    case 'validate':
      return validateCommand(rest[0] ?? values.config)
    case 'plugins':
      return pluginsCommand(values)
    default:
      process.stderr.write(`vedette: unknown command '${command}'\n\n${HELP}\n`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // `start` keeps running until a signal; the others end here.
    if (code >= 0) process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`vedette: ${isVedetteError(err) ? `${err.code}: ${err.message}` : ((err as Error)?.stack ?? String(err))}\n`)
    // A start that failed half-way may hold a server or timers open: exit rather than linger unready.
    process.exit(1)
  }
)
