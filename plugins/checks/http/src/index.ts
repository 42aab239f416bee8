export { httpCheck as default, httpCheck, runHttpCheck, validateHttpConfig } from './http-check.js'
export { HTTP_CHECK_DEFAULTS, HTTP_METHODS, USER_AGENT, compileHttpConfig, parseHttpConfig } from './config.js'
export type { HttpCheckConfig, HttpMethod, CompiledHttpConfig } from './config.js'
export { compileStatusMatcher } from './status-matcher.js'
export type { StatusMatcher } from './status-matcher.js'
export { describeFailure } from './describe-error.js'
// Moved to @vedette/sdk; still exported here under the name this package has exported it by.
export { networkErrorCode as errorCode } from '@vedette/sdk'
export { InvalidHttpConfigError } from './errors.js'
