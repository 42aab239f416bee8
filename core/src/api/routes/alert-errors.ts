import { createError } from '@vedette/sdk'

// Errors of the alerting routes, part of the REST layer's registry (docs/errors.md).
export const AlertSnoozeInvalidError = createError<[string]>(
  'VDT_ERR_ALERT_SNOOZE_INVALID',
  'snoozeUntil must be a time in the future, as ISO 8601 with an offset or epoch milliseconds (got %s)',
  400
)
