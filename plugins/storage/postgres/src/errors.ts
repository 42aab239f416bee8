import { createError } from '@vedette/sdk'

// The storage-contract errors (VDT_ERR_STORAGE_*) live in @vedette/sdk, shared
// by every backend; they are re-exported here so callers of this package find
// every code it throws in one place. Keep this registry in step with the README.
export {
  StorageNotStartedError as NotStartedError,
  InvalidStorageCursorError as InvalidCursorError,
  InvalidStorageQueryError as InvalidQueryError,
  InvalidStorageRecordError as InvalidRecordError
} from '@vedette/sdk'

// PostgreSQL only. Every message that names the server uses the redacted URL
// (see redact-url.ts): a password never reaches a log line or an API answer.

/** The config block does not validate; raised by `create`, before any I/O. */
export const InvalidConfigError = createError<[string]>('VDT_ERR_POSTGRES_INVALID_CONFIG', 'Invalid @vedette/storage-postgres config: %s')

/**
 * The server cannot be reached (refused, reset, timed out, shutting down). Reads
 * and writes other than `writeResults` fail with this; results are buffered.
 */
export const UnavailableError = createError<[string, string]>(
  'VDT_ERR_POSTGRES_UNAVAILABLE',
  "PostgreSQL at '%s' is unavailable: %s (check results are buffered and written when it answers again)",
  503
)

/** `start()` could not connect, create the schema or migrate it. */
export const StartFailedError = createError<[string, string, string]>(
  'VDT_ERR_POSTGRES_START_FAILED',
  "Cannot start PostgreSQL storage at '%s' (schema %s): %s"
)

/** The schema was migrated by a newer release of this plugin. */
export const SchemaTooNewError = createError<[string, number, number]>(
  'VDT_ERR_POSTGRES_SCHEMA_TOO_NEW',
  "PostgreSQL schema '%s' is at migration %d but this @vedette/storage-postgres only knows up to %d: it was written by a newer release; upgrade the plugin or use another schema"
)

/** A spill file (results buffered on disk during an outage) cannot be written or read. */
export const SpillFailedError = createError<[string, string]>(
  'VDT_ERR_POSTGRES_SPILL_FAILED',
  "Cannot use spill file '%s': %s (check that spillDir is writable and has free space)"
)
