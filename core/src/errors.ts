import { createError } from '@vedette/sdk'

// The core's error registry. Every code is documented in docs/errors.md.
// The config module keeps its own codes next to it; they are part of this registry.
export * from './config/errors.js'
export * from './heartbeats/errors.js'
export * from './alerts/errors.js'

export const PluginNotFoundError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_NOT_FOUND',
  "Plugin '%s' was not found (looked for %s). Install it with npm or fix the name/path in the config"
)
export const PluginManifestError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_MANIFEST_INVALID',
  "Plugin '%s' has an invalid `vedette` manifest in its package.json: %s"
)
export const PluginApiVersionError = createError<[string, string, string]>(
  'VDT_ERR_PLUGIN_API_VERSION',
  "Plugin '%s' targets plugin API %s but this engine speaks %s. Use a plugin release made for this API"
)
export const PluginEngineError = createError<[string, string, string]>(
  'VDT_ERR_PLUGIN_ENGINE_INCOMPATIBLE',
  "Plugin '%s' requires engine %s but this is @vedette/core %s. Upgrade Vedette or install a plugin version that supports it"
)
export const PluginDuplicateError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_DUPLICATE',
  "Plugin '%s' is loaded twice (%s). Remove one of them from the config"
)
export const PluginDependencyError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_DEPENDENCY_MISSING',
  "Plugin '%s' depends on '%s', which is not loaded. Add it to `plugins` in the config"
)
export const PluginConfigError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_CONFIG_INVALID',
  "Config for plugin '%s' is invalid: %s"
)
export const PluginModuleShapeError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_MODULE_SHAPE',
  "Plugin '%s' does not export what its manifest promises: %s"
)
export const PluginInitTimeoutError = createError<[string, number]>(
  'VDT_ERR_PLUGIN_INIT_TIMEOUT',
  "Plugin '%s' did not finish initialising within %d ms"
)
export const PluginInitError = createError<[string, string]>(
  'VDT_ERR_PLUGIN_INIT_FAILED',
  "Plugin '%s' failed to initialise: %s"
)
export const PluginKindError = createError<[string, string, string]>(
  'VDT_ERR_PLUGIN_WRONG_KIND',
  "Plugin '%s' is a %s plugin but is used where a %s plugin is expected"
)
export const UnknownCheckTypeError = createError<[string, string]>(
  'VDT_ERR_CHECK_TYPE_UNKNOWN',
  "No check plugin provides monitor type '%s' (known types: %s)"
)
export const HookFailedError = createError<[string, string, string]>(
  'VDT_ERR_HOOK_FAILED',
  "Hook %s of plugin '%s' failed: %s"
)
export const HookTimeoutError = createError<[string, string, number]>(
  'VDT_ERR_HOOK_TIMEOUT',
  "Hook %s of plugin '%s' did not finish within %d ms"
)
export const HookCycleError = createError<[string, string]>(
  'VDT_ERR_HOOK_CYCLE',
  'Handlers of hook %s depend on each other in a cycle: %s'
)
export const MonitorNotFoundError = createError<[string]>('VDT_ERR_MONITOR_NOT_FOUND', "Monitor '%s' does not exist", 404)
export const EngineStateError = createError<[string]>('VDT_ERR_ENGINE_STATE', 'Engine is not in a state to do that: %s', 409)
