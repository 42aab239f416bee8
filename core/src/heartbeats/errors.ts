import { createError } from '@vedette/sdk'

// Heartbeat (push monitor) errors, part of the core registry (docs/errors.md).
export const HeartbeatTokenUnknownError = createError<[]>(
  'VDT_ERR_HEARTBEAT_TOKEN_UNKNOWN',
  'No heartbeat monitor has this token (it may have been rotated or the monitor deleted)',
  404
)
export const NotPushMonitorError = createError<[string, string]>(
  'VDT_ERR_HEARTBEAT_NOT_PUSH',
  "Monitor '%s' is of type '%s', which does not receive pings: only push-based checks (type heartbeat) have a token URL",
  409
)
