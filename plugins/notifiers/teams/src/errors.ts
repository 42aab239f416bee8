import { createError } from '@vedette/sdk'

// This package's error registry. Delivery failures are never thrown: `send`
// returns them as `{ ok: false }` reports for the engine's outbox to retry.
// A throw means the channel's config cannot work at all.

/** A config that passed (or skipped) the JSON Schema but cannot be used. */
export const InvalidTeamsConfigError = createError<[string]>(
  'VDT_ERR_NOTIFIER_TEAMS_INVALID_CONFIG',
  'Invalid teams notifier config: %s'
)
