/**
 * Plugin identity brands. Several copies of `@vedette/sdk` can live in one
 * `node_modules` tree (a plugin pinned to another SDK patch release), so the
 * engine never uses `instanceof`: it looks for these registry-wide symbols.
 */
export const kCheckPlugin: unique symbol = Symbol.for('vedette.plugin.check') as never
export const kNotifierPlugin: unique symbol = Symbol.for('vedette.plugin.notifier') as never
export const kStoragePlugin: unique symbol = Symbol.for('vedette.plugin.storage') as never
export const kAuthPlugin: unique symbol = Symbol.for('vedette.plugin.auth') as never
/** Set on every error thrown by Vedette packages, whatever copy of the SDK made it. */
export const kVedetteError: unique symbol = Symbol.for('vedette.error') as never
export const kCoordinationPlugin: unique symbol = Symbol.for('vedette.plugin.coordination') as never
