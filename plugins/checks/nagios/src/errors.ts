import { createError } from '@vedette/sdk'

// This package's error registry. A plugin's own CRITICAL or UNKNOWN states are
// outcomes, never throws. A throw means the monitor's config is unusable,
// which the runtime reports as `unknown` with reason `error`.

/** A config that passed (or skipped) the JSON Schema but cannot be run. */
export const InvalidNagiosConfigError = createError<[string]>(
  'VDT_ERR_CHECK_NAGIOS_INVALID_CONFIG',
  'Invalid nagios check config: %s'
)
