import { createError } from '@vedette/sdk'

// This package's error registry. Target failures are never thrown: they come
// back as `down` outcomes. A throw means the monitor's config is unusable,
// which the runtime reports as `unknown` with reason `error`.

/** A config that passed (or skipped) the JSON Schema but cannot be run. */
export const InvalidDnsConfigError = createError<[string]>(
  'VDT_ERR_CHECK_DNS_INVALID_CONFIG',
  'Invalid dns check config: %s'
)
