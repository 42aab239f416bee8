/** The plugin API version this SDK implements; manifests must name it. */
export const API_VERSION = 'vedette/v1'
/** Plugin kinds the engine knows how to load. */
export const PLUGIN_KINDS = ['check', 'notifier', 'storage', 'auth', 'coordination'] as const
export type PluginKind = (typeof PLUGIN_KINDS)[number]
