import { createError } from '@vedette/sdk'

// Config error codes. The core's main registry (../errors.ts) re-exports them;
// each one is documented in docs/config.md ("Errors") and docs/errors.md.

export const ConfigNotFoundError = createError<[string]>(
  'VDT_ERR_CONFIG_NOT_FOUND',
  "Config file '%s' does not exist. Create it (see docs/config.md) or pass the right path"
)
export const ConfigReadError = createError<[string, string]>(
  'VDT_ERR_CONFIG_READ',
  "Cannot read config file '%s': %s"
)
/** Arguments: file, line, column, the parser's reason. */
export const ConfigSyntaxError = createError<[string, number, number, string]>(
  'VDT_ERR_CONFIG_SYNTAX',
  '%s:%d:%d: invalid YAML: %s',
  400
)
/** Arguments: file, the errors formatted by `formatConfigErrors`. `details` holds the `ConfigError[]`. */
export const ConfigInvalidError = createError<[string, string]>(
  'VDT_ERR_CONFIG_INVALID',
  '%s is not a valid Vedette config:\n%s',
  400
)
/** Arguments: the field, the offending value as JSON. */
export const InvalidDurationError = createError<[string, string]>(
  'VDT_ERR_CONFIG_DURATION',
  '%s: must be a duration like 30s or 5m, or an integer number of milliseconds (got %s)',
  400
)
/** Arguments: package name, ajv's reason. */
export const PluginConfigSchemaError = createError<[string, string]>(
  'VDT_ERR_CONFIG_PLUGIN_SCHEMA',
  "Plugin '%s' declares a configSchema that is not valid JSON Schema: %s. Report it to the plugin's authors"
)
/** Argument: ajv's reason. Raised when the assembled schema cannot be compiled (a plugin schema with a broken `$ref`, say). */
export const ConfigSchemaCompileError = createError<[string]>(
  'VDT_ERR_CONFIG_SCHEMA',
  'The config schema built from the loaded plugins does not compile: %s'
)
