import type { PluginContext } from '@vedette/sdk'
import { compileSchema, describeAjvErrors } from '../ajv.js'
import { PluginConfigError, PluginInitError, PluginInitTimeoutError } from '../errors.js'
import type { PluginDescriptor } from './plugin-descriptor.js'

/** Validates a plugin instance's config against the manifest's configSchema, filling defaults. */
export function validatePluginConfig(desc: PluginDescriptor, config: unknown): Record<string, unknown> {
  const value = structuredClone(config ?? {}) as Record<string, unknown>
  if (desc.manifest.configSchema === undefined) return value
  const validate = compileSchema(desc.manifest.configSchema as object)
  if (!validate(value)) {
    throw new PluginConfigError(desc.name, describeAjvErrors(validate.errors), { details: validate.errors })
  }
  return value
}

/**
 * Runs a plugin's `create` with a deadline: a plugin that hangs while
 * initialising must fail the start with its own name, not freeze it.
 */
export async function createWithin<T>(
  desc: PluginDescriptor,
  timeoutMs: number,
  create: () => T | Promise<T>
): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginInitTimeoutError(desc.name, timeoutMs)), timeoutMs)
  })
  try {
    return await Promise.race([Promise.resolve().then(create), timeout])
  } catch (err) {
    if (err instanceof Error && (err as { code?: string }).code === 'VDT_ERR_PLUGIN_INIT_TIMEOUT') throw err
    throw new PluginInitError(desc.name, (err as Error)?.message ?? String(err), { cause: err })
  } finally {
    clearTimeout(timer)
  }
}

export type { PluginContext }
