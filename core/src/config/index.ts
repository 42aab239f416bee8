// The config module's public surface; the core's src/index.ts re-exports it.
export type {
  Duration,
  MonitorInput,
  PluginEntry,
  EngineSettings,
  VedetteConfigInput,
  Monitor,
  VedetteConfig
} from './types.js'
export { parseDuration, DURATION_PATTERN } from './duration.js'
export { parseConfigText, readConfigFile } from './read-config.js'
export type { ParsedConfig, SourcePosition } from './read-config.js'
export { pluginRefs } from './plugin-refs.js'
export type { PluginRefs } from './plugin-refs.js'
export { buildConfigSchema, CONFIG_SCHEMA_ID, MONITOR_ID_PATTERN, LOG_LEVELS } from './config-schema.js'
export type { JsonSchemaObject, PluginSchemaInfo, CheckSchemaInfo, StorageSchemaInfo } from './config-schema.js'
export { validateConfig } from './validate-config.js'
export type { Locate } from './validate-config.js'
export { formatConfigErrors, sortConfigErrors } from './config-error.js'
export type { ConfigError } from './config-error.js'
export { MIN_INTERVAL_MS, cronProblem, isTimeZone } from './semantic-checks.js'
export { normalizeConfig, CONFIG_DEFAULTS } from './normalize-config.js'
export type { NormalizeOptions } from './normalize-config.js'
export { loadConfig, loadConfigText, checkConfigText } from './load-config.js'
export type { DescribePlugins, LoadedConfig, ConfigCheck, LoadConfigTextOptions } from './load-config.js'
export {
  ConfigNotFoundError,
  ConfigReadError,
  ConfigSyntaxError,
  ConfigInvalidError,
  InvalidDurationError,
  PluginConfigSchemaError,
  ConfigSchemaCompileError
} from './errors.js'
