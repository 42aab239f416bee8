import type { Test } from 'tap'
import type { RetentionPolicy } from '../retention.js'
import type { StorageInstance } from '../storage.js'
import { aggregateTests } from './storage-conformance-aggregates.js'
import { documentTests } from './storage-conformance-documents.js'
import { durabilityTests } from './storage-conformance-durability.js'
import type { OpenStore } from './storage-conformance-fixtures.js'
import { monitorTests } from './storage-conformance-monitors.js'
import { outboxTests } from './storage-conformance-outbox.js'
import { resultTests } from './storage-conformance-results.js'
import { retentionTests } from './storage-conformance-retention.js'
import { stateTests } from './storage-conformance-state.js'
import { tenancyTests } from './storage-conformance-tenancy.js'

/**
 * Settings the suite asks a store to be created with. A factory maps them to
 * the backend's config block (e.g. `retention` → the plugin's `retention`
 * config, as integer milliseconds) and must not ignore them: the retention
 * subtests check `retentionPolicy()` first and fail if it differs.
 */
export interface StorageFactoryOptions {
  /** The retention policy to configure; the backend's default when left out. */
  retention?: RetentionPolicy
}

/**
 * How the suite gets stores. Instances are returned *not started*: the suite
 * calls `start()` and `stop()` itself, because the lifecycle is part of what it checks.
 *
 * @example
 * const factory: StorageFactory = {
 *   create: async (options) => plugin.create({ retention: options?.retention && {
 *     raw: options.retention.rawMs, minute: options.retention.minuteMs,
 *     hour: options.retention.hourMs, day: options.retention.dayMs } }, ctx)
 * }
 */
export interface StorageFactory {
  /** A fresh, empty store, independent of every store made before, configured with `options`. */
  create(options?: StorageFactoryOptions): Promise<StorageInstance>
  /**
   * A new instance over the data of the store `create` returned last, after
   * that one was stopped, configured with `options` (the suite passes the same
   * ones it created that store with). Leave it out for backends that keep
   * nothing (memory): the durability subtests are then skipped.
   */
  reopen?(options?: StorageFactoryOptions): Promise<StorageInstance>
  /** Runs once after the whole suite (remove temp directories, drop schemas). */
  cleanup?(): Promise<void>
}

export interface StorageConformanceOptions {
  /** Names the parent test, e.g. `sqlite`. */
  name: string
}

/**
 * The behaviour every storage backend must share, as tap subtests: monitor
 * records and their pagination, result fidelity, ranges and cursors over more
 * than a page of 1,000, batch atomicity, latest results, uptime summaries,
 * transitions, kept states, incidents, documents (create-if-absent too), the
 * notification outbox (dedupe, leases, concurrent claims, settling, history),
 * tiered retention (rollups, deletion, answers per tier, idempotent passes,
 * late results), tenant isolation for every method and, when the factory can
 * reopen, durability across a restart. Each subtest gets its own fresh store
 * and stops it when it ends.
 *
 * Contract details the suite pins down beyond the `Storage` doc comments:
 * - bad cursors, limits (not a positive integer), bounds and orders reject with
 *   a coded error whose `statusCode` is 400; limits above 1000 are capped;
 * - `nextCursor` is absent when a page ends exactly at the last item;
 * - monitor ids sort by code point (SQL binary collation on UTF-8);
 * - equal timestamps keep recording order (transitions) and are never dropped
 *   or repeated across pages (results, incidents);
 * - a batch with one invalid result rejects and stores none of it;
 * - `deleteMonitor` returns true when it removed anything, record or data;
 * - raising an incident from degraded to down also takes the new reason;
 * - latency and phase timings may come back rounded to the microsecond;
 * - uptime names its tier: `raw` (or no tier) until a maintain pass made rollups answer;
 * - the tier is chosen with the `now` of the newest maintain, not the wall
 *   clock, so the suite can use fixed instants in the past.
 *
 * @example
 * import t from 'tap'
 * import { storageConformance } from '@vedette/sdk/testing'
 * await storageConformance(t, { create: async () => plugin.create({}, ctx) }, { name: 'memory' })
 */
export async function storageConformance(t: Test, factory: StorageFactory, options: StorageConformanceOptions): Promise<void> {
  await t.test(`${options.name}: storage conformance`, async (t) => {
    if (factory.cleanup !== undefined) t.teardown(() => factory.cleanup?.())
    const open: OpenStore = async (t, options) => {
      const store = await factory.create(options)
      await store.start()
      t.teardown(() => store.stop())
      return store
    }
    monitorTests(t, open)
    resultTests(t, open)
    aggregateTests(t, open)
    stateTests(t, open)
    tenancyTests(t, open)
    documentTests(t, open)
    outboxTests(t, open)
    retentionTests(t, open)
    durabilityTests(t, factory)
  })
}
