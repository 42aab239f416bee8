export { tcpCheck as default, tcpCheck, runTcpCheck, validateTcpConfig, RESPONSE_OBSERVATION_MAX } from './tcp-check.js'
export { TCP_CHECK_DEFAULTS, compileTcpConfig, parseTcpConfig } from './config.js'
export type { TcpCheckConfig, CompiledTcpConfig } from './config.js'
export { compileExpectation } from './expectation.js'
export type { Expectation } from './expectation.js'
export { describeSocketError } from './describe-error.js'
// Moved to @vedette/sdk; still exported here under the name this package has exported it by.
export { networkErrorCode as errorCode } from '@vedette/sdk'
export { InvalidTcpConfigError } from './errors.js'
