import { createError } from '@vedette/sdk'

// This package's error registry. Loss and unreachable hosts are never thrown:
// they come back as `degraded` / `down` outcomes. A throw means the monitor's
// config is unusable, which the runtime reports as `unknown` with reason `error`.

/** A config that passed (or skipped) the JSON Schema but cannot be run. */
export const InvalidIcmpConfigError = createError<[string]>(
  'VDT_ERR_CHECK_ICMP_INVALID_CONFIG',
  'Invalid icmp check config: %s'
)
