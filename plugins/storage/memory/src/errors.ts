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

export const InvalidConfigError = createError<[string]>(
  'VDT_ERR_MEMORY_INVALID_CONFIG',
  'Invalid @vedette/storage-memory config: %s'
)
