import { createError } from '@vedette/sdk'

// This package's error registry. Delivery failures are never thrown: `send`
// returns them as a DeliveryReport so the engine's outbox can retry. A throw
// means the channel's config is unusable and the channel cannot be created.

/** A config that passed (or skipped) the JSON Schema but cannot be used. */
export const InvalidOpsgenieConfigError = createError<[string]>(
  'VDT_ERR_NOTIFIER_OPSGENIE_INVALID_CONFIG',
  'Invalid opsgenie notifier config: %s'
)
