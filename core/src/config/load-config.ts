import { dirname, resolve } from 'node:path'
import { isVedetteError } from '@vedette/sdk'
import { formatConfigErrors } from './config-error.js'
import type { ConfigError } from './config-error.js'
import { buildConfigSchema } from './config-schema.js'
import type { JsonSchemaObject, PluginSchemaInfo } from './config-schema.js'
import { ConfigInvalidError, ConfigSyntaxError } from './errors.js'
import { normalizeConfig } from './normalize-config.js'
import { pluginRefs } from './plugin-refs.js'
import type { PluginRefs } from './plugin-refs.js'
import { parseConfigText, readConfigFile } from './read-config.js'
import type { ParsedConfig } from './read-config.js'
import type { VedetteConfig, VedetteConfigInput } from './types.js'
import { validateConfig } from './validate-config.js'

/**
 * Loads (or at least reads the manifests of) the plugins a config asks for and
 * describes their config schemas. Returning the same object for the same
 * plugins lets the compiled schema be reused across loads, so do not mutate
 * an object once returned.
 */
export type DescribePlugins = (refs: PluginRefs) => PluginSchemaInfo | Promise<PluginSchemaInfo>

/** A valid config: the document as written and with every default applied. */
export interface LoadedConfig {
  config: VedetteConfig
  input: VedetteConfigInput
}

/** The outcome of checking a document without throwing for its mistakes. */
export interface ConfigCheck {
  /** Present when `errors` is empty. */
  config: VedetteConfig | undefined
  /** The parsed document; undefined when the text is not even YAML. */
  input: unknown
  errors: ConfigError[]
}

export interface LoadConfigTextOptions {
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  baseDir?: string
}

/**
 * Reads, validates and normalizes a config file: the one call the CLI and
 * the engine's start-up need. Relative paths resolve against the file's directory.
 *
 * @throws VDT_ERR_CONFIG_NOT_FOUND, VDT_ERR_CONFIG_READ, VDT_ERR_CONFIG_SYNTAX,
 *   or VDT_ERR_CONFIG_INVALID whose `details` is the `ConfigError[]` and whose
 *   message lists them as `file:line:column pointer: message`. Errors thrown by
 *   `describePlugins` (VDT_ERR_PLUGIN_*) pass through.
 * @example
 * const { config } = await loadConfig('vedette.yaml', (refs) => describe(loader.catalog(refs)))
 */
export async function loadConfig(path: string, describePlugins: DescribePlugins): Promise<LoadedConfig> {
  const parsed = await readConfigFile(path)
  return orThrow(await checkParsed(parsed, describePlugins, dirname(resolve(path))), path)
}

/** `loadConfig` for text that did not come from a file (an API request body). */
export async function loadConfigText(
  text: string,
  filename: string,
  describePlugins: DescribePlugins,
  opts: LoadConfigTextOptions = {}
): Promise<LoadedConfig> {
  const parsed = parseConfigText(text, filename)
  return orThrow(await checkParsed(parsed, describePlugins, opts.baseDir ?? process.cwd()), filename)
}

/**
 * Like `loadConfigText` but returns the document's mistakes, syntax errors
 * included, as data: what a "validate this config" endpoint answers.
 */
export async function checkConfigText(
  text: string,
  filename: string,
  describePlugins: DescribePlugins,
  opts: LoadConfigTextOptions = {}
): Promise<ConfigCheck> {
  let parsed: ParsedConfig
  try {
    parsed = parseConfigText(text, filename)
  } catch (err) {
    if (isVedetteError(err) && err.code === ConfigSyntaxError.code) {
      return { config: undefined, input: undefined, errors: err.details as ConfigError[] }
    }
    throw err
  }
  return checkParsed(parsed, describePlugins, opts.baseDir ?? process.cwd())
}

async function checkParsed(parsed: ParsedConfig, describePlugins: DescribePlugins, baseDir: string): Promise<ConfigCheck> {
  const plugins = await describePlugins(pluginRefs(parsed.input))
  const errors = validateConfig(parsed.input, schemaFor(plugins), parsed.locate)
  if (errors.length > 0) return { config: undefined, input: parsed.input, errors }
  const input = parsed.input as VedetteConfigInput
  const checkTimeouts: Record<string, number> = {}
  for (const check of plugins.checks) if (check.defaultTimeoutMs !== undefined) checkTimeouts[check.type] = check.defaultTimeoutMs
  const config = normalizeConfig(input, { baseDir, checkTimeouts, storages: plugins.storages })
  return { config, input, errors }
}

function orThrow(result: ConfigCheck, filename: string): LoadedConfig {
  if (result.config === undefined) {
    throw new ConfigInvalidError(filename, formatConfigErrors(result.errors, filename), { details: result.errors })
  }
  return { config: result.config, input: result.input as VedetteConfigInput }
}

const schemas = new WeakMap<PluginSchemaInfo, JsonSchemaObject>()

function schemaFor(plugins: PluginSchemaInfo): JsonSchemaObject {
  let schema = schemas.get(plugins)
  if (schema === undefined) {
    schema = buildConfigSchema(plugins)
    schemas.set(plugins, schema)
  }
  return schema
}
