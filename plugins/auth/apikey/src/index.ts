import { defineAuth } from '@vedette/sdk'
import { ApiKeyAuthenticator } from './apikey-authenticator.js'
import { parseConfig } from './config.js'
import type { ApiKeyAuthConfig } from './config.js'
import { NoDocumentStoreError } from './errors.js'

/**
 * API keys with roles and expiry, stored as scrypt hashes in the engine's
 * storage. The engine's default auth plugin.
 *
 * @example
 * // vedette.yaml
 * // auth:
 * //   plugins:
 * //     - plugin: '@vedette/auth-apikey'
 * //       config: { cacheTtl: 30, bootstrapAdmin: true }
 */
const plugin = defineAuth<ApiKeyAuthConfig>({
  // No I/O here (the store is not open yet): the bootstrap key is made in start().
  create(config, ctx) {
    if (ctx.documents === undefined) throw new NoDocumentStoreError()
    return new ApiKeyAuthenticator({ config: parseConfig(config), documents: ctx.documents, logger: ctx.logger })
  }
})

export default plugin
export { ApiKeyAuthenticator } from './apikey-authenticator.js'
export type { ApiKeyAuthenticatorOptions } from './apikey-authenticator.js'
export { parseConfig } from './config.js'
export type { ApiKeyAuthConfig, ResolvedConfig } from './config.js'
export { KeyStore, COLLECTIONS } from './key-store.js'
export type { CreateKeyInput } from './key-store.js'
export { KEY_PREFIX, formatKey, parseKey } from './key-format.js'
export type { KeyParts } from './key-format.js'
export { SCRYPT } from './secret-hash.js'
export { ApiKeyInvalidError, ApiKeyInputError, ApiKeyConfigError, NoDocumentStoreError } from './errors.js'
