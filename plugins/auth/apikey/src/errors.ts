import { createError } from '@vedette/sdk'

// This package's error registry; keep it in step with the README and docs/errors.md.

/**
 * Every refused key, whatever the reason. 401 so the engine's auth hook passes
 * it through as is; the message never repeats the key (it may be a real one
 * sent to the wrong server, and error messages end up in client logs).
 */
export const ApiKeyInvalidError = createError<[string]>('VDT_ERR_APIKEY_INVALID', 'API key refused: %s', 401)

/** `keys.create` got a name, role or expiry it cannot store. */
export const ApiKeyInputError = createError<[string]>('VDT_ERR_APIKEY_INVALID_INPUT', 'Cannot create the API key: %s', 400)

export const ApiKeyConfigError = createError<[string]>('VDT_ERR_APIKEY_INVALID_CONFIG', 'Invalid @vedette/auth-apikey config: %s')

/** The engine gives auth plugins a document store; without one there is nowhere to keep keys. */
export const NoDocumentStoreError = createError<[]>(
  'VDT_ERR_APIKEY_NO_DOCUMENTS',
  '@vedette/auth-apikey needs the plugin document store (ctx.documents), and the engine did not provide one'
)
