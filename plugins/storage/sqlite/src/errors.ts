import { createError } from '@vedette/sdk'

// The four storage-contract errors (VDT_ERR_STORAGE_*) live in @vedette/sdk,
// shared by every backend; they are re-exported here under the names this
// package has exported them by. Keep this registry in step with the README.
export {
  StorageNotStartedError as NotStartedError,
  InvalidStorageCursorError as InvalidCursorError,
  InvalidStorageQueryError as InvalidQueryError,
  InvalidStorageRecordError as InvalidRecordError
} from '@vedette/sdk'

// SQLite only.
export const InvalidConfigError = createError<[string]>('VDT_ERR_SQLITE_INVALID_CONFIG', 'Invalid @vedette/storage-sqlite config: %s')
export const OpenFailedError = createError<[string, string]>(
  'VDT_ERR_SQLITE_OPEN_FAILED',
  "Cannot open SQLite database '%s': %s (check that the directory is writable and no other program holds a lock on the file)"
)
export const SchemaTooNewError = createError<[string, number, number]>(
  'VDT_ERR_SQLITE_SCHEMA_TOO_NEW',
  "SQLite database '%s' has schema version %d but this @vedette/storage-sqlite only knows up to %d: it was written by a newer release; upgrade the plugin or restore a backup"
)
export const DamagedDatabaseError = createError<[string, string]>(
  'VDT_ERR_SQLITE_DAMAGED',
  "SQLite database '%s' is damaged: %s; restore a backup or run PRAGMA integrity_check"
)
