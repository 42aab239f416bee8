import { createError } from '@vedette/sdk'

// This package's error registry. A heartbeat is never "thrown": a late or failed
// job comes back as a `down` outcome. A throw means the config is unusable.

/** A config that passed the JSON Schema but cannot be evaluated (a bad cron, an unknown zone). */
export const InvalidHeartbeatConfigError = createError<[string]>(
  'VDT_ERR_CHECK_HEARTBEAT_INVALID_CONFIG',
  'Invalid heartbeat check config: %s'
)
