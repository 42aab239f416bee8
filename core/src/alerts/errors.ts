import { createError } from '@vedette/sdk'

// Alerting errors, part of the core registry (docs/errors.md).
export const AlertNotFoundError = createError<[string]>('VDT_ERR_ALERT_NOT_FOUND', "Alert '%s' does not exist", 404)
export const AlertResolvedError = createError<[string]>('VDT_ERR_ALERT_RESOLVED', "Alert '%s' is already resolved", 409)
export const ChannelNotFoundError = createError<[string]>('VDT_ERR_CHANNEL_NOT_FOUND', "Notification channel '%s' does not exist (or is disabled)", 404)
export const AlertingResourceNotFoundError = createError<[string, string]>('VDT_ERR_ALERTING_NOT_FOUND', "No %s with id '%s'", 404)
export const AlertingResourceExistsError = createError<[string, string]>('VDT_ERR_ALERTING_EXISTS', "A %s with id '%s' already exists; PUT replaces it", 409)
