import { formatConfigErrors } from '../config/config-error.js'
import { checkEngineConfig } from '../engine/load-engine-config.js'

/** `vedette validate FILE`: exit 0 and a summary when valid, 1 and every error (file:line:col pointer: message) when not. */
export async function validateCommand(file: string | undefined): Promise<number> {
  if (file === undefined) {
    process.stderr.write('vedette validate: name the config file to check, e.g. `vedette validate vedette.yaml`\n')
    return 2
  }
  const result = await checkEngineConfig({ file })
  if (result.errors.length > 0) {
    process.stderr.write(`${formatConfigErrors(result.errors, file)}\n${file}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}\n`)
    return 1
  }
  const monitors = result.config?.monitors.length ?? 0
  process.stdout.write(`${file}: valid (${monitors} monitor${monitors === 1 ? '' : 's'}, storage ${result.config?.storage.plugin})\n`)
  return 0
}
