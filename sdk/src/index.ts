export { API_VERSION, PLUGIN_KINDS } from './api-version.js'
export type { PluginKind } from './api-version.js'
export { kAuthPlugin, kCheckPlugin, kCoordinationPlugin, kNotifierPlugin, kStoragePlugin, kVedetteError } from './symbols.js'
export { defineCoordination, isCoordinationPlugin } from './coordination.js'
export type { ClusterMember, ClusterMessage, LiveStatus, Coordinator, CoordinationDefinition, CoordinationPlugin } from './coordination.js'
export {
  createError,
  isVedetteError,
  InvalidPluginDefinitionError,
  CheckTimeoutError,
  CheckExitError,
  StorageNotStartedError,
  InvalidStorageCursorError,
  InvalidStorageQueryError,
  InvalidStorageRecordError
} from './errors.js'
export type { VedetteError, VedetteErrorConstructor, ErrorDetails } from './errors.js'
export { CHECK_STATUSES } from './check-result.js'
export type {
  CheckStatus,
  MonitorStatus,
  ResultReason,
  PhaseTimings,
  Metric,
  ObservationValue,
  Observations,
  CheckOutcome,
  CheckResult
} from './check-result.js'
export { defineCheck, isCheckPlugin, reportBy } from './check.js'
export type { PushPing, PushPingKind, PushState } from './push.js'
export type { CheckContext, CheckDefinition, CheckMonitor, CheckPlugin } from './check.js'
export { defineStorage, isStoragePlugin, DEFAULT_TENANT } from './storage.js'
export type {
  Storage,
  StorageInstance,
  StorageDefinition,
  StoragePlugin,
  MonitorRecord,
  MonitorState,
  StoredDocument,
  DocumentQuery,
  Incident,
  Page,
  PageQuery,
  TimeRangeQuery,
  IncidentQuery,
  UptimeSummary,
  LatencySummary
} from './storage.js'
// The storage kit: paging, record validation and incident rules every storage backend shares.
export { pageLimit, timeRange, timeBound, encodeCursor, decodeCursor } from './storage-kit/paging.js'
export type { TimeRange, CursorSlot } from './storage-kit/paging.js'
export { assertResult, assertMonitor, assertTransition, assertDocumentKey, incidentFilter } from './storage-kit/validate-records.js'
export { incidentAction } from './storage-kit/incident-rules.js'
export { uptimeSummary } from './storage-kit/uptime.js'
export type { IncidentAction } from './storage-kit/incident-rules.js'
export {
  HISTOGRAM_RELATIVE_ERROR,
  HISTOGRAM_MIN_MS,
  HISTOGRAM_MAX_MS,
  HISTOGRAM_LAST_BIN,
  histogramBin,
  histogramBinValue,
  addLatency,
  mergeHistograms,
  histogramCount,
  histogramPercentiles,
  encodeHistogram,
  decodeHistogram
} from './storage-kit/latency-histogram.js'
export type { LatencyHistogram, EncodedHistogram } from './storage-kit/latency-histogram.js'
export {
  DEFAULT_RETENTION_CONFIG,
  DEFAULT_RETENTION_POLICY,
  RETENTION_DURATION_PATTERN,
  InvalidRetentionError,
  retentionConfigSchema,
  parseRetentionConfig,
  parseRetentionDuration,
  checkRetentionPolicy
} from './storage-kit/retention-policy.js'
export type { RetentionConfig } from './storage-kit/retention-policy.js'
export { TIER_MS, ROLLUP_TIERS, bucketStart, bucketEnd, chooseTier, uptimePlan } from './storage-kit/tier-choice.js'
export type { RollupCoverage, UptimeSegment, UptimePlan } from './storage-kit/tier-choice.js'
export { emptyRollup, addToRollup, mergeRollup, rollupChecks, rollupSummary } from './storage-kit/rollup-bucket.js'
export type { RollupBucket } from './storage-kit/rollup-bucket.js'
export { planMaintenance, lateMark, rollupCoverage, emptyRetentionReport, assertMaintenanceTime } from './storage-kit/retention-plan.js'
export type { RetentionMarks, RollupRanges, MaintenancePlan } from './storage-kit/retention-plan.js'
export {
  OUTBOX_STATES,
  OUTBOX_CURSOR,
  assertOutboxItem,
  assertSettlement,
  claimRequest,
  outboxFilter,
  matchesOutboxFilter,
  isClaimable,
  newOutboxItem
} from './storage-kit/outbox-rules.js'
export type { ClaimRequest, OutboxFilter } from './storage-kit/outbox-rules.js'
export { defineNotifier, isNotifierPlugin } from './notifier.js'
export { defineAlertRule } from './alert-rule.js'
export type { AlertRuleKind, AlertRuleInput, AlertRuleVerdict } from './alert-rule.js'
export type {
  Notification,
  NotificationEvent,
  NotificationAlert,
  NotificationAssertion,
  AlertSeverity,
  DeliveryReport,
  NotifierInstance,
  NotifierDefinition,
  NotifierPlugin
} from './notifier.js'
export type {
  OutboxState,
  DeliveryAttempt,
  NewOutboxItem,
  OutboxItem,
  OutboxQuery,
  OutboxSettlement,
  OutboxStore
} from './outbox.js'
export type { RetentionPolicy, RetentionReport, RetentionStore, RollupTier, ResultTier } from './retention.js'
export { defineAuth, isAuthPlugin } from './auth.js'
export type { Role, Principal, AuthRequest, AuthenticatorInstance, AuthDefinition, AuthPlugin, ApiKeyInfo, ApiKeyManager } from './auth.js'
export { HOOK_NAMES } from './hooks.js'
export type {
  HookName,
  HookHandler,
  HookRegistration,
  HookSignatures,
  PluginHooks,
  ScheduleEvent,
  ScheduleVeto,
  StateChangeEvent,
  AlertEvent,
  PersistEvent
} from './hooks.js'
export { manifestSchema } from './manifest.js'
export type { PluginManifest, JsonSchema, ObservationType } from './manifest.js'
export type { PluginContext, PluginDocuments } from './plugin-context.js'
export type { Logger } from './logger.js'
export { silentLogger } from './logger.js'
export { percentile, summarizeLatencies } from './percentile.js'
// Network failures described the same way by every check plugin.
export { describeNetworkError, networkErrorCode, networkErrorDetail } from './net/describe-network-error.js'
export type { NetworkStage, NetworkErrorContext } from './net/describe-network-error.js'
// Monitor assertions: the tree and one-line forms, validation and evaluation.
export { parseAssertion } from './assertions/assertion-parser.js'
export { formatAssertion } from './assertions/assertion-format.js'
export { normalizeAssertions } from './assertions/normalize-assertions.js'
export { evaluateAssertions } from './assertions/evaluate-assertions.js'
export { assertionSchema } from './assertions/assertion-schema.js'
export { ASSERTION_OPERATORS, isAssertionGroup, isAndAssertion, isOrAssertion, isNotAssertion } from './assertions/assertion-types.js'
export {
  AssertionSyntaxError,
  AssertionUnknownSourceError,
  AssertionUnknownOperatorError,
  InvalidAssertionError
} from './assertions/assertion-errors.js'
export type {
  Assertion,
  AndAssertion,
  OrAssertion,
  NotAssertion,
  AssertionGroup,
  AssertionNode,
  AssertionOperator,
  AssertionQuantifier,
  AssertionSeverity,
  AssertionSubject,
  AssertionHeaders,
  AssertionResult,
  AssertionReport
} from './assertions/assertion-types.js'
// Running external commands from check plugins (isolated process checks).
export { runProcess } from './process/run-process.js'
export type { RunProcessOptions, ProcessResult } from './process/run-process.js'
// The notify kit: what every notifier does around its provider call (timeouts, redaction, delivery reports, per-alert fan-out, alert text).
export { TIMEOUT_PATTERN, parseTimeout, timeoutOption } from './notify-kit/timeout.js'
export type { TimeoutOption } from './notify-kit/timeout.js'
export { redactEndpoint, redactSecrets, urlSecrets } from './notify-kit/redact-endpoint.js'
export { MAX_REPORT_MESSAGE, isRetryableStatus, reportForStatus, reportForNoAnswer, describeBody, jsonObject } from './notify-kit/delivery-report.js'
export type { StatusReportInput, NoAnswerCause, NoAnswerReportInput } from './notify-kit/delivery-report.js'
export { ANSWER_READ_LIMIT, jsonHeaders, sendJson } from './notify-kit/send-json.js'
export type { JsonDispatcher, JsonRequestOptions, HttpResponseLike, HttpAnswer, AnswerReading, SendJsonOptions } from './notify-kit/send-json.js'
export { parseUrlOption, parseHeaders } from './notify-kit/http-options.js'
export type { UrlRules } from './notify-kit/http-options.js'
export { configOptions, stringOption, credentialOption, severityMapOption } from './notify-kit/config-options.js'
export { DELIVER_EACH_CONCURRENCY, deliverEach } from './notify-kit/deliver-each.js'
export { stableKey } from './notify-kit/stable-key.js'
export { MAX_LISTED_ALERTS, MAX_LISTED_ASSERTIONS, capped, clip, alertName, alertFacts, describeAssertion, formatDuration } from './notify-kit/alert-text.js'
