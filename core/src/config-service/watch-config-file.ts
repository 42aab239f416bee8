import type { VedetteConfigInput } from '../config/types.js'
import { watch } from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { Logger } from '@vedette/sdk'
import { interpolateEnv } from '../cli/interpolate-env.js'
import { parseConfigText } from '../config/read-config.js'
import type { ConfigService } from './config-service.js'
import { configFileHash, sha256 } from './start-version.js'

/**
 * `vedette start --watch`: every edit of the file is read, validated and
 * applied as a new version. An edit with an error is logged with every
 * problem and changes nothing: the running config stays. Editors save in
 * bursts (truncate, write, rename), hence the short debounce.
 */
export function watchConfigFile(file: string, service: ConfigService, logger: Logger, env: NodeJS.ProcessEnv = process.env): () => void {
  let timer: NodeJS.Timeout | undefined
  let lastHash: string | undefined
  const reload = async (): Promise<void> => {
    let text: string
    try {
      text = interpolateEnv(await readFile(file, 'utf8'), file, env)
    } catch (err) {
      logger.error({ err, file }, 'config file changed but cannot be read; the running config stays')
      return
    }
    const textHash = sha256(text)
    if (textHash === lastHash) return
    try {
      const { input } = parseConfigText(text, file)
      // The hash a later start compares the file with (see startVersion).
      const hash = configFileHash(input as VedetteConfigInput, text)
      const result = await service.apply(input, { author: `file:${file}`, fileHash: hash })
      lastHash = textHash
      logger.info({ version: result.version.version, summary: result.version.summary, restartRequired: result.restartRequired }, 'config file applied')
    } catch (err) {
      logger.error({ err, file, details: (err as { details?: unknown }).details }, 'config file edit rejected; the running config stays')
    }
  }
  const watcher = watch(file, () => {
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), 150)
  })
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}
