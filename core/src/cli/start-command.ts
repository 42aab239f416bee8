import { resolve } from 'node:path'
import type { LevelWithSilent } from 'pino'
import { Engine } from '../engine/engine.js'
import { describeCatalog, loadEngineConfig } from '../engine/load-engine-config.js'
import { ConfigService } from '../config-service/config-service.js'
import { watchConfigFile } from '../config-service/watch-config-file.js'
import { createLogger } from '../logger.js'
import { createServer } from '../server/create-server.js'
import type { CliFlags } from './main.js'

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * `vedette start`: load config and plugins, serve HTTP, run the engine until
 * SIGTERM/SIGINT, then stop scheduling, let runs in flight finish (up to the
 * shutdown timeout), flush storage and exit 0. A second signal exits at once.
 */
export async function startCommand(flags: CliFlags): Promise<number> {
  if (flags['log-level'] !== undefined && !LEVELS.includes(flags['log-level'])) {
    process.stderr.write(`vedette start: --log-level must be one of ${LEVELS.join(', ')}\n`)
    return 2
  }
  if (flags.port !== undefined && !/^\d{1,5}$/.test(flags.port)) {
    process.stderr.write(`vedette start: --port must be a port number, got '${flags.port}'\n`)
    return 2
  }
  // --port also feeds ${VEDETTE_PORT} so the example's self-monitors follow the port.
  const env = flags.port === undefined ? process.env : { ...process.env, VEDETTE_PORT: flags.port }
  const loaded = await loadEngineConfig({ ...(flags.config === undefined ? {} : { file: flags.config }), env })
  const { config } = loaded
  if (flags.port !== undefined) config.server.port = Number(flags.port)
  if (flags.host !== undefined) config.server.host = flags.host
  if (flags['data-dir'] !== undefined) config.dataDir = resolve(flags['data-dir'])
  const level = (flags['log-level'] ?? config.logLevel) as LevelWithSilent
  const pretty = flags['log-format'] === undefined ? undefined : flags['log-format'] === 'pretty'
  const logger = createLogger({ level, ...(pretty === undefined ? {} : { pretty }) })

  const engine = await Engine.create({ config, baseDir: loaded.baseDir, logger, catalog: loaded.catalog, configName: loaded.file })
  // The versioned document decides what runs: the file is version 1, API changes survive restarts.
  await engine.openStorage()
  const configService = new ConfigService({ engine, plugins: describeCatalog(loaded.catalog), baseDir: loaded.baseDir, logger })
  const monitors = await configService.init(loaded.input, loaded.text, loaded.file)
  const server = await createServer(engine, { logger, config: configService })
  let stopping: Promise<void> | undefined
  const shutdown = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting')
      process.exit(1)
    }
    logger.info({ signal }, 'shutting down: no new runs, waiting for runs in flight, flushing results')
    stopping = (async () => {
      await server.close()
      await engine.stop()
    })()
    stopping.then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed')
        process.exit(1)
      }
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))

  const address = await server.listen({ port: config.server.port, host: config.server.host })
  // The stored document may hold API changes the file does not: run its alerting, not the file's.
  await engine.start(monitors, configService.alerting())
  if (flags.watch === true) watchConfigFile(loaded.file, configService, logger, env)
  logger.info(
    {
      config: loaded.file,
      api: `${address}/api/v1`,
      docs: `${address}/docs`,
      health: `${address}/health`,
      ready: `${address}/ready`,
      data: config.dataDir,
      storage: config.storage.plugin,
      monitors: engine.listMonitors().length
    },
    `Vedette listening on ${address} — API ${address}/api/v1, docs ${address}/docs, health ${address}/health, data in ${config.dataDir}`
  )
  return -1
}
