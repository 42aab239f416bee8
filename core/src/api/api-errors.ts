import { createError } from '@vedette/sdk'

// The REST layer's error registry; documented in docs/errors.md.
export const AuthRequiredError = createError<[]>(
  'VDT_ERR_AUTH_REQUIRED',
  'This route needs credentials: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`',
  401
)
export const AuthInvalidError = createError<[string]>('VDT_ERR_AUTH_INVALID', 'The credentials were refused: %s', 401)
export const ForbiddenError = createError<[string, string]>('VDT_ERR_FORBIDDEN', 'This route needs the %s role; the key has %s', 403)
export const ConflictError = createError<[string]>('VDT_ERR_CONFLICT', '%s', 409)
export const RunInProgressError = createError<[string]>('VDT_ERR_RUN_IN_PROGRESS', "Monitor '%s' is already running; try again when the run ends", 409)
export const ConfigVersionConflictError = createError<[number]>(
  'VDT_ERR_CONFIG_VERSION_CONFLICT',
  'Another node stored config version %d at the same moment; this change was not applied there — retry it',
  409
)
export const VersionNotFoundError = createError<[number]>('VDT_ERR_CONFIG_VERSION_NOT_FOUND', 'Config version %d does not exist', 404)
export const NotAcceptableError = createError<[string]>('VDT_ERR_NOT_ACCEPTABLE', 'Cannot answer in %s: ask for application/json or application/yaml', 406)
export const RateLimitedError = createError<[number, string]>('VDT_ERR_RATE_LIMITED', 'Rate limit of %d requests per %s reached; retry after the retry-after header', 429)
// Key management, shared with `vedette keys`.
export const KeysUnavailableError = createError<[]>(
  'VDT_ERR_KEYS_UNAVAILABLE',
  'No loaded auth plugin issues API keys: add @vedette/auth-apikey to auth.plugins (and keep auth.enabled true)',
  404
)
export const KeyNotFoundError = createError<[string]>('VDT_ERR_KEY_NOT_FOUND', "API key '%s' does not exist", 404)

