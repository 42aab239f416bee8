/**
 * Plugins shipped with the engine. Checks are loaded on every start so any
 * monitor `type` they provide works without listing; storage backends are
 * loaded when chosen (by package or short name).
 */
export const FIRST_PARTY_CHECKS: readonly string[] = [
  '@vedette/check-http',
  '@vedette/check-tcp',
  '@vedette/check-dns',
  '@vedette/check-tls',
  '@vedette/check-icmp',
  '@vedette/check-nagios',
  '@vedette/check-heartbeat'
]
export const FIRST_PARTY_STORAGE: Readonly<Record<string, string>> = {
  sqlite: '@vedette/storage-sqlite',
  memory: '@vedette/storage-memory',
  postgres: '@vedette/storage-postgres'
}
/** Coordination plugins for cluster mode, by short name. */
export const FIRST_PARTY_CLUSTER: Readonly<Record<string, string>> = {
  redis: '@vedette/storage-redis'
}
export const DEFAULT_STORAGE = '@vedette/storage-sqlite'
export const FIRST_PARTY_AUTH: readonly string[] = ['@vedette/auth-apikey']
/** Notifiers are always catalogued: a channel names one by its short name (`webhook`, `email`...). */
export const FIRST_PARTY_NOTIFIERS: readonly string[] = [
  '@vedette/notifier-webhook',
  '@vedette/notifier-email',
  '@vedette/notifier-slack',
  '@vedette/notifier-teams',
  '@vedette/notifier-discord',
  '@vedette/notifier-pagerduty',
  '@vedette/notifier-opsgenie',
  '@vedette/notifier-telegram'
]
