import { format } from 'node:util'
import { kVedetteError } from './symbols.js'

/** Every Vedette error carries a stable `VDT_ERR_*` code, documented in docs/errors.md. */
export interface VedetteError extends Error {
  readonly code: string
  readonly statusCode: number
  readonly details?: unknown
  readonly [kVedetteError]: true
}

export interface VedetteErrorConstructor<A extends unknown[]> {
  new (...args: [...A, ErrorDetails?]): VedetteError
  (...args: [...A, ErrorDetails?]): VedetteError
  readonly code: string
  readonly prototype: VedetteError
}

export interface ErrorDetails {
  details?: unknown
  cause?: unknown
}

/**
 * Creates an error class with a fixed code and a `%s` message template, in the
 * spirit of Fastify's `createError`. Arguments fill the template in order; an
 * optional trailing `{ details, cause }` object is attached to the instance.
 *
 * @example
 * const NotFound = createError('VDT_ERR_MONITOR_NOT_FOUND', "Monitor '%s' does not exist", 404)
 * throw new NotFound('api-health')
 */
export function createError<A extends unknown[] = string[]>(
  code: string,
  template: string,
  statusCode = 500
): VedetteErrorConstructor<A> {
  if (!/^VDT_ERR_[A-Z0-9_]+$/.test(code)) throw new TypeError(`error code must match VDT_ERR_*: ${code}`)
  const placeholders = (template.match(/%[sdjoO]/g) ?? []).length

  function VdtError(this: unknown, ...args: unknown[]): VedetteError {
    let extra: ErrorDetails | undefined
    if (args.length > placeholders) {
      const last = args[args.length - 1]
      if (last !== null && typeof last === 'object') {
        extra = last as ErrorDetails
        args = args.slice(0, -1)
      }
    }
    const err = new Error(format(template, ...args), extra?.cause === undefined ? undefined : { cause: extra.cause })
    Object.setPrototypeOf(err, VdtError.prototype)
    Object.defineProperty(err, 'name', { value: 'VedetteError', enumerable: false, configurable: true, writable: true })
    Object.assign(err, { code, statusCode })
    if (extra?.details !== undefined) Object.assign(err, { details: extra.details })
    Error.captureStackTrace?.(err, VdtError)
    return err as VedetteError
  }
  VdtError.prototype = Object.create(Error.prototype, {
    constructor: { value: VdtError, writable: true, configurable: true },
    [kVedetteError]: { value: true }
  })
  Object.defineProperty(VdtError, 'code', { value: code })
  return VdtError as unknown as VedetteErrorConstructor<A>
}

/** True for an error made by any copy of the SDK's `createError`. */
export function isVedetteError(value: unknown): value is VedetteError {
  return value instanceof Error && (value as Partial<Record<typeof kVedetteError, boolean>>)[kVedetteError] === true
}

// The SDK's own registry. Keep it in step with docs/errors.md.
export const InvalidPluginDefinitionError = createError<[string, string]>(
  'VDT_ERR_SDK_INVALID_DEFINITION',
  "Invalid %s plugin definition: %s"
)
export const CheckTimeoutError = createError<[number]>('VDT_ERR_CHECK_TIMEOUT', 'Check did not finish within %d ms')
export const CheckExitError = createError<[string]>(
  'VDT_ERR_CHECK_PROCESS_EXIT',
  'Check plugin called process.exit(%s) inside a worker; the call was turned into this error so other checks keep running'
)

// The storage contract's codes, shared by every storage backend (and thrown by
// the storage kit) so the REST layer and the docs treat them alike.

/** A storage call came before `start()` or after `stop()`. */
export const StorageNotStartedError = createError<[string]>(
  'VDT_ERR_STORAGE_NOT_STARTED',
  "Storage '%s' is not running: call start() first, and no calls after stop()",
  503
)
/** A `cursor` that the store did not hand out for this kind of listing. */
export const InvalidStorageCursorError = createError<[string]>('VDT_ERR_STORAGE_INVALID_CURSOR', 'Invalid pagination cursor: %s', 400)
/** A limit, bound, order or filter of the wrong type or range. */
export const InvalidStorageQueryError = createError<[string]>('VDT_ERR_STORAGE_INVALID_QUERY', 'Invalid storage query: %s', 400)
/** A monitor, result or transition missing required fields; the whole call is refused. */
export const InvalidStorageRecordError = createError<[string, string]>('VDT_ERR_STORAGE_INVALID_RECORD', 'Invalid %s: %s', 500)
